"""Readiness standards: the checklists a go-live or an authorization is judged against."""
