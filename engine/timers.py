"""Timer events of workflow instances, kept in a table so due ones are found without deserializing.

Every ``Instance.save`` brings the instance's rows in step with its state:
a timer the workflow now waits on is added with its due time, one that
fired is marked ``fired``, one that was cancelled (its task completed first)
is removed. A worker asks ``next_due`` for one due timer; on PostgreSQL the
row of its *instance* is locked with SKIP LOCKED, so two workers never work
on the same instance at once and a killed worker's lock vanishes with its
connection (its transaction, and the firing, roll back: nothing is lost).
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, select, update
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine import clock
from engine.db import db
from engine.models import Timer, WorkflowInstance


@dataclass(frozen=True)
class DueTimer:
    id: int
    instance_id: int
    node_id: str
    due_at: datetime


def _due_time(value):
    """The naive UTC due time of a timer's evaluated value (ISO text or a cycle dict)."""
    if isinstance(value, dict):
        value = value.get("next")
    if not value:
        return None
    if isinstance(value, str) and value.upper().startswith("P"):
        return None  # a duration not yet turned into a date: SpiffWorkflow sets it on the next refresh
    moment = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                    moment.microsecond)


def waiting(workflow):
    """{task id: (node id, due time)} of every timer event the workflow waits on."""
    found = {}
    for task in workflow.event_manager.tasks.values():
        definition = getattr(task.task_spec, "event_definition", None)
        if not isinstance(definition, TimerEventDefinition):
            continue
        due = _due_time(task._get_internal_data("event_value"))
        if due is not None:
            found[str(task.id)] = (task.task_spec.bpmn_id, due)
    return found


def sync(instance_id, workflow, indexed):
    """Bring the timer rows of an instance in step with its workflow; return the new index."""
    current = waiting(workflow)
    gone = indexed.keys() - current.keys()
    if gone:
        fired = [task_id for task_id in gone if _completed(workflow, task_id)]
        cancelled = [task_id for task_id in gone if task_id not in fired]
        table = Timer.__table__
        if fired:
            db.session.execute(update(table).where(table.c.task_id.in_(fired))
                               .values(fired=True, fired_at=clock.now()))
        if cancelled:
            db.session.execute(delete(table).where(table.c.task_id.in_(cancelled)))
    for task_id in current.keys() - indexed.keys():
        node_id, due = current[task_id]
        db.session.add(Timer(instance_id=instance_id, task_id=task_id, node_id=node_id, due_at=due))
    return current


def _completed(workflow, task_id):
    from uuid import UUID
    task = workflow.get_task_from_id(UUID(task_id))
    return task is not None and task.state == TaskState.COMPLETED


def next_due(exclude=()):
    """One timer due now whose instance no other worker holds, its instance row locked; or None."""
    query = (select(Timer.id, Timer.instance_id, Timer.node_id, Timer.due_at)
             .join(WorkflowInstance, WorkflowInstance.id == Timer.instance_id)
             .where(Timer.fired.is_(False), Timer.due_at <= clock.now())
             .order_by(Timer.due_at, Timer.id).limit(1))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(of=WorkflowInstance, skip_locked=True)
    skipped = set(exclude)
    while True:
        row = db.session.execute(query.where(Timer.id.not_in(list(skipped))) if skipped else query).first()
        if row is None:
            return None
        # The lock was taken after another worker may have committed this very timer: the row as read
        # by the query is from before that commit, so ask again now the instance is ours.
        if db.session.scalar(select(Timer.fired).where(Timer.id == row.id)) is False:
            return DueTimer(*row)
        skipped.add(row.id)
