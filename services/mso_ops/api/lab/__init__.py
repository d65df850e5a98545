"""Specimens, their results, overdue work and courier runs."""
