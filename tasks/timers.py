"""Firing due timers of any process, and letting the process's domain react.

The worker calls ``next_due`` then ``fire`` and commits, one timer at a time:
a worker killed in the middle loses only its open transaction, and the timer
is still due for the next worker.
"""
from dataclasses import dataclass, field

from engine import timers
from engine.errors import TaskFailed
from engine.instances import Instance
from processes import failures, moves
from tasks import assignment_failures, assignments

# What a process's domain does after its timers fired (status rows, notices).
REACTIONS = {"assignment": assignments.after_timers, "deal": moves.after_timers}
# What it does when a script after a fired timer breaks: the instance is kept in error for an analyst's
# retry; a process not listed here rolls the firing back and it is tried again on the next pass.
FAILURES = {"deal": failures.timer_failed, "assignment": assignment_failures.timer_failed}


@dataclass
class Fired:
    """What firing an instance's due timers did: the nodes completed, or why a script after them failed."""

    passed: list = field(default_factory=list)
    error: str = ""


def next_due(exclude=()):
    """A due timer whose instance is now locked for this worker, or None."""
    return timers.next_due(exclude)


def fire(due):
    """Fire the due timers of the instance of ``due``; return Fired (the caller commits)."""
    instance = Instance.load(due.instance_id)
    process_id = instance.row.definition.process_id
    try:
        passed = instance.fire_timers()
    except TaskFailed as failed:
        if process_id not in FAILURES:
            raise
        FAILURES[process_id](instance, failed)
        return Fired(error=str(failed))
    react = REACTIONS.get(process_id)
    if react is not None:
        react(instance, passed)
    instance.save()
    return Fired(passed)
