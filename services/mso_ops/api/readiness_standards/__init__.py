"""The readiness standards in force: the checklist go-live and authorization requests meet."""
