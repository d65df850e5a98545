"""Shared kernel: infrastructure both contexts use, and no business rule of either."""
