"""Firing due timers of any process, and letting the record the instance runs follow.

The worker asks ``next_due`` (the engine's) for a due timer, calls ``fire``
and commits, one timer at a time: a worker killed in the middle loses only
its open transaction, and the timer is still due for the next worker.
"""
from dataclasses import dataclass, field

from engine.errors import TaskFailed
from engine.instances import Instance
from engine.timers import next_due
from processes.records import following
from tasks import records

__all__ = ["Fired", "fire", "next_due"]


@dataclass
class Fired:
    """What firing an instance's due timers did: the nodes completed, or why a script after them failed."""

    passed: list = field(default_factory=list)
    error: str = ""


def fire(due):
    """Fire the due timers of the instance of ``due``; return Fired (the caller commits).

    A script after the timers that breaks leaves a record's instance in error
    for an analyst's retry; the instance of a process no record type runs
    rolls the firing back, and it is tried again on the next pass.
    """
    instance = Instance.load(due.instance_id)
    kind = records.of_process(instance.row.definition.process_id)
    try:
        passed = instance.fire_timers()
    except TaskFailed as failed:
        if kind is None:
            raise
        following.timer_failed(kind, instance, failed)
        return Fired(error=str(failed))
    if kind is not None:
        following.after_timers(kind, instance, passed)
    instance.save()
    return Fired(passed)
