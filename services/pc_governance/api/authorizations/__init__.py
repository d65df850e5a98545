"""Service-line and site authorizations: the PC's decisions on the MSO's requests."""
