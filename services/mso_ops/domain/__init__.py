"""MSO Operations domain: sites, service lines at sites, appointments. Pure Python."""
