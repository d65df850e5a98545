"""Claims, the MSA fee schedule and the fee invoices."""
