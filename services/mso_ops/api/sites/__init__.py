"""What a site is and how it opens, changes and stops, with the bookings a stop leaves."""
