"""Tamper-evident event logs: a hash chain over every record, sealed right behind the writes."""
