"""Where a decision came from: its history and its basis."""
