"""Coding rules and the medical-records policy the PC approves."""
