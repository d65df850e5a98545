"""Visit templates, schedules and the slots they open."""
