"""The bridge between a record and its workflow instance.

A record's status is the status node its workflow waits in (or the end event
it finished at). Moving runs the waiting task with ``next_status`` set, which
the diagram's gateways route on. Trees are kept bounded: when an instance has
grown past ``TREE_BOUND`` tasks it is replaced by a fresh one started directly
at the current status (a plain start leading into the routing gateway), so
the 2,000th move of a deal costs what the 10th did; the history lives in the
record's history table, not in the workflow.
"""
from engine import starts
from engine.instances import Instance
from processes.errors import CannotProceed, InvalidTransition

TREE_BOUND = 40
STEER = "next_status"


def start(definition, model, status, data=None, message=None, name="record"):
    """Start a workflow in ``status`` (or through a message start event); return (instance, status reached)."""
    payload = dict(data or {})
    if message is None:
        payload[STEER] = status
    instance = Instance.start(definition, payload, message=message)
    reached = model.status_of(instance)
    if message is None and reached != status:
        raise InvalidTransition(f"the diagram does not start a {name} in '{status}'")
    return instance, reached


def start_many(definition, model, payloads, message):
    """Start one workflow per payload through ``message`` (rows inserted together); [(instance, status reached)]."""
    return [(instance, model.status_of(instance)) for instance in starts.start_many(definition, payloads, message)]


def run_move(instance, model, current, target, data, name="record"):
    """Complete the task of ``current`` steering to ``target``; keep the tree bounded."""
    task = next((t for t in instance.ready_tasks() if t.node_id == model.get(current).node_id), None)
    if task is None:
        raise CannotProceed(f"the {name}'s workflow is not waiting in '{current}'")
    instance.run_task(task.id, {**data, STEER: target})
    if model.status_of(instance) != target:
        raise InvalidTransition(f"the diagram did not lead from '{current}' to '{target}'")
    if not instance.completed and instance.size > TREE_BOUND:
        carried = dict(instance.data)
        carried[STEER] = target
        instance.restart(carried)
        if model.status_of(instance) != target:
            raise CannotProceed(f"could not restart the workflow at '{target}'")
    instance.save()
