"""PC Governance domain: clinical decisions and their record. Pure Python."""
