"""Accounts: the school districts, teams, employers and programs demand comes from."""
