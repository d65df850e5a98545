"""The corrective actions the PC assigns the MSO."""
