"""Clinicians, their credentials, and supervision."""
