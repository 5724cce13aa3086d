"""Firing due timers of any process, and letting the process's domain react.

The worker calls ``next_due`` then ``fire`` and commits, one timer at a time:
a worker killed in the middle loses only its open transaction, and the timer
is still due for the next worker.
"""
from engine import timers
from engine.instances import Instance
from tasks import assignments

# What a process's domain does after its timers fired (status rows, notices).
REACTIONS = {"assignment": assignments.after_timers}


def next_due(exclude=()):
    """A due timer whose instance is now locked for this worker, or None."""
    return timers.next_due(exclude)


def fire(due):
    """Fire the due timers of the instance of ``due``; return the node ids that completed."""
    instance = Instance.load(due.instance_id)
    passed = instance.fire_timers()
    react = REACTIONS.get(instance.row.definition.process_id)
    if react is not None:
        react(instance, passed)
    instance.save()
    return passed
