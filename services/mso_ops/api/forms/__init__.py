"""Clearance forms: requested, prepared, signed by the PC clinician, delivered."""
