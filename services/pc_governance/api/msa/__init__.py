"""The PC's side of the MSA: the fee schedule it countersigns, the invoices it answers."""
