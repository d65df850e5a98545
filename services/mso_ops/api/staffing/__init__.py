"""Staff, shifts and the coverage gaps they leave."""
