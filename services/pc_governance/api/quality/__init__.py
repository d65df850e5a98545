"""Quality review samples and findings, and the corrective actions they open."""
