"""Where a record came from: its history and the PC decisions it rests on."""
