"""The MSO's performance reports, as the PC receives and reviews them."""
