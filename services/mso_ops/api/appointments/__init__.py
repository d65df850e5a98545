"""Booking, moving and ending appointments, within a vendor's contracted sites."""
