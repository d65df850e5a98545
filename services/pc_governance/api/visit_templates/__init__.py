"""Visit templates the PC approves and retires."""
