"""Vendors and their contracts, facility incidents, site downtime."""
