"""Move a running instance to another deployed version of its process.

SpiffWorkflow 3.2 cannot carry a task tree from one spec to another (the tree
holds its spec's task specs), so a migration *rebuilds*: a fresh workflow of
the target version is started with the instance's data, which the caller makes
steer the diagram back to the nodes it waited in (the deal process routes on
``next_status`` from its plain start). The rebuilt workflow must wait in
exactly the same nodes, or nothing changes. The old tree's past is not
carried: what a process keeps must live in its data or in the domain's tables.
Timers restart from the migration.
"""
from SpiffWorkflow.util.task import TaskState

from engine import definitions
from engine.errors import WorkflowError


def waiting_nodes(instance):
    """Sorted ids of the diagram nodes the instance waits in (human tasks, timers, messages)."""
    nodes = instance.diagram.graph.nodes
    return sorted({t.task_spec.bpmn_id for t in instance.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
                   if t.task_spec.bpmn_id in nodes and nodes[t.task_spec.bpmn_id].kind != "startEvent"})


def problems(instance, target):
    """Why the instance cannot move to the ``target`` definition row ([] when it can)."""
    current = instance.definition
    if target.process_id != current.process_id:
        return [f"the target is process '{target.process_id}', not '{current.process_id}'"]
    if target.id == current.id:
        return [f"already on version {target.version}"]
    if instance.completed:
        return ["the instance has finished"]
    if instance.failure:
        return [f"the instance failed in '{instance.failure.node_id}': retry it from there first"]
    waiting = waiting_nodes(instance)
    if not waiting:
        return ["the instance waits in no node"]
    graph = definitions.parsed(target).graph
    return [f"node '{node}' does not exist in version {target.version}" for node in waiting
            if node not in graph.nodes]


def migrate(instance, target, data, dry_run=False):
    """Rebuild the instance on ``target`` from the plain start with ``data``; save unless a dry run.

    Raises WorkflowError when it cannot move or the rebuilt workflow waits
    elsewhere. After a dry run the instance object is spent: load it again.
    """
    found = problems(instance, target)
    if found:
        raise WorkflowError("; ".join(found))
    before = waiting_nodes(instance)
    instance.restart(data, target)
    after = waiting_nodes(instance)
    if after != before:
        raise WorkflowError(f"version {target.version} rebuilt the instance waiting in "
                            f"{', '.join(after) or 'nothing'}, not {', '.join(before)}")
    if not dry_run:
        instance.save()
    return after
