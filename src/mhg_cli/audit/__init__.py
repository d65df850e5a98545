"""`mhg audit ...`: the audit commands (the checks themselves are in `mhg.audit`)."""
