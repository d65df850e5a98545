"""The audit packet and audit readiness."""
