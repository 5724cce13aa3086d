"""The bridge between a deal and its workflow instance.

A deal's status is the status node its workflow waits in (or the end event it
finished at). Moving runs the waiting task with ``next_status`` set, which the
diagram's gateways route on. Trees are kept bounded: when an instance has
grown past ``TREE_BOUND`` tasks it is replaced by a fresh one started directly
at the current status (the plain start leads into the routing gateway), so
the 2,000th move of a deal costs what the 10th did; the history lives in
``deal_history``, not in the workflow.
"""
from engine.errors import WorkflowError
from engine.instances import Instance, reached_ends
from processes.errors import InvalidTransition

TREE_BOUND = 40
STEER = "next_status"


def status_of(instance, model):
    """The status code an instance is in, from its ready tasks or end."""
    for task in instance.ready_tasks():
        status = model.by_node.get(task.node_id)
        if status is not None:
            return status.code
    if instance.completed:
        for node_id in reversed(reached_ends(instance)):
            if node_id in model.by_node:
                return model.by_node[node_id].code
    return None


def start(definition, model, status, data=None, message=None):
    """Start a deal workflow in ``status`` (or through a message start event)."""
    payload = dict(data or {})
    if message is None:
        payload[STEER] = status
    instance = Instance.start(definition, payload, message=message)
    reached = status_of(instance, model)
    if message is None and reached != status:
        raise InvalidTransition(f"the diagram does not start a deal in '{status}'")
    return instance, reached


def run_move(instance, model, current, target, data):
    """Complete the task of ``current`` steering to ``target``; keep the tree bounded."""
    task = next((t for t in instance.ready_tasks() if t.node_id == model.get(current).node_id), None)
    if task is None:
        raise WorkflowError(f"the deal's workflow is not waiting in '{current}'")
    instance.run_task(task.id, {**data, STEER: target})
    if status_of(instance, model) != target:
        raise InvalidTransition(f"the diagram did not lead from '{current}' to '{target}'")
    if not instance.completed and instance.size > TREE_BOUND:
        carried = dict(instance.data)
        carried[STEER] = target
        instance.restart(carried)
        if status_of(instance, model) != target:
            raise WorkflowError(f"could not restart the workflow at '{target}'")
    instance.save()
