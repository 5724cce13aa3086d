"""The human-task inbox: my tasks, my group's tasks (by lane), claim, complete."""
