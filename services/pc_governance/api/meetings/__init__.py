"""The monthly governance meeting: agenda, motions, votes, minutes."""
