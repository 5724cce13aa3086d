"""Assignments stuck in an error of their process: a script after a fired timer broke; an analyst retries.

As with deals (processes.failures), the worker does not fail again on every
pass: the instance is saved in error with the failed task, the assignment's
history says why, verdicts wait, and an analyst or admin runs the failed task
again from the process dashboard, with its data as it was or corrected.
"""
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select

from engine import definitions
from engine.db import db
from engine.errors import TaskFailed, WorkflowError
from engine.instances import Instance
from engine.models import ProcessDefinition, WorkflowInstance
from processes.failures import LISTED, check_retry, data_text
from tasks import assignment_flow as flow
from tasks import assignments
from tasks.assignment_models import Assignment, AssignmentEvent


@dataclass
class StuckAssignment:
    id: int
    title: str
    deal_number: int
    status_label: str
    version: int
    node_id: str
    node_name: str
    reason: str
    since: datetime
    data: dict = field(default_factory=dict)

    @property
    def data_text(self):
        return data_text(self.data)

    def as_dict(self):
        return {**asdict(self), "since": self.since.isoformat(timespec="seconds")}


@dataclass
class Retried:
    """What a retry did: the assignment went on, or failed again (``reason``)."""

    assignment_id: int
    proceeded: bool
    reason: str
    process_id: str
    version: int

    def as_dict(self):
        return asdict(self)


def _of_instance(instance_id):
    return db.session.scalar(select(Assignment).where(Assignment.workflow_id == instance_id))


def _note(assignment, user, reason):
    db.session.add(AssignmentEvent(assignment_id=assignment.id, user_id=user.id if user else None, kind="error",
                                   comment=reason))


def timer_failed(instance, failed):
    """A script after a fired timer broke: keep the instance in error, with what the timer did, for a retry."""
    instance.save()
    assignment = _of_instance(instance.row.id)
    if assignment is not None:
        assignments.after_timers(instance, instance.passed_since())  # e.g. «overdue» was reached before the script
        _note(assignment, None, str(failed))
        db.session.flush()


def failure_of(assignment):
    """(node name, reason) when the assignment's process is in error, else None (read from the row alone)."""
    row = assignment.workflow
    if row is None or row.status != "error":
        return None
    node = definitions.parsed(row.definition).graph.nodes.get(row.error_node or "")
    return (node.name if node else "") or row.error_node or "", row.error or ""


def stuck_assignments(limit=LISTED):
    """Assignments whose workflow is in error, newest failure first."""
    rows = db.session.execute(
        select(Assignment, WorkflowInstance).join(WorkflowInstance, Assignment.workflow_id == WorkflowInstance.id)
        .join(ProcessDefinition, WorkflowInstance.definition_id == ProcessDefinition.id)
        .where(WorkflowInstance.status == "error", ProcessDefinition.process_id == flow.PROCESS)
        .order_by(WorkflowInstance.updated_at.desc(), Assignment.id).limit(limit)).all()
    result = []
    for assignment, row in rows:
        node = definitions.parsed(row.definition).graph.nodes.get(row.error_node or "")
        label = flow.model_for(row.definition).labels.get(assignment.status, assignment.status)
        result.append(StuckAssignment(
            assignment.id, assignment.title, assignment.deal.number, label, row.definition.version,
            row.error_node or "", (node.name if node else "") or row.error_node or "", row.error or "",
            row.updated_at, Instance.from_row(row).failed_data()))
    return result


def retry_assignment(assignment_id, user, data=None):
    """Run a stuck assignment's failed task again (with ``data`` if given); return Retried. The edge commits."""
    check_retry(user, data)
    assignment = assignments.get_assignment(assignment_id)
    row = assignment.workflow
    if row is None or row.status != "error":
        raise WorkflowError(f"assignment {assignment.id} is not stuck in an error")
    instance = Instance.from_row(row)
    definition = instance.definition
    mark = instance.checkpoint()
    try:
        instance.retry(data)
    except TaskFailed as failed:
        instance.save()
        _note(assignment, user, str(failed))
        db.session.flush()
        return Retried(assignment.id, False, str(failed), definition.process_id, definition.version)
    instance.save()
    assignments.after_timers(instance, instance.passed_since(mark))
    return Retried(assignment.id, True, "", definition.process_id, definition.version)
