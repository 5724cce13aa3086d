"""Assignments stuck in an error of their process: the assignment's face of processes.records.failures.

As with deals, the worker does not fail again on every pass: the instance is
saved in error with the failed task, the assignment's history says why,
verdicts wait, and an analyst or admin runs the failed task again from the
process dashboard, with its data as it was or corrected.
"""
from processes.records import failures
from tasks.assignments import ASSIGNMENT


def failure_of(assignment):
    """(node name, reason) when the assignment's process is in error, else None (read from the row alone)."""
    return failures.failure_of(ASSIGNMENT, assignment)


def stuck_assignments(limit=failures.LISTED):
    """Assignments whose workflow is in error, newest failure first."""
    return failures.stuck(ASSIGNMENT, limit=limit)


def retry_assignment(assignment_id, user, data=None):
    """Run a stuck assignment's failed task again (with ``data`` if given); return a records Retried."""
    return failures.retry(ASSIGNMENT, assignment_id, user, data)
