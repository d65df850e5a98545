"""Clinical protocols and their versions."""
