"""Assignments stuck in an error of their process: a script after a fired timer broke; an analyst retries.

As with deals (processes.failures), the worker does not fail again on every
pass: the instance is saved in error with the failed task, the assignment's
history says why, verdicts wait, and an analyst or admin runs the failed task
again from the process dashboard, with its data as it was or corrected.
"""
from dataclasses import dataclass

from sqlalchemy import select

from engine.db import db
from engine.errors import TaskFailed, WorkflowError
from engine.instances import Instance
from engine.models import ProcessDefinition, WorkflowInstance
from processes.failures import LISTED, RetryResult, Stuck, check_retry, row_failure, stuck_fields
from tasks import assignment_flow as flow
from tasks import assignments
from tasks.assignment_models import Assignment, AssignmentEvent


@dataclass(kw_only=True)
class StuckAssignment(Stuck):
    id: int
    title: str
    deal_number: int


@dataclass(kw_only=True)
class Retried(RetryResult):
    assignment_id: int


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
    return row_failure(assignment.workflow)


def stuck_assignments(limit=LISTED):
    """Assignments whose workflow is in error, newest failure first."""
    rows = db.session.execute(
        select(Assignment, WorkflowInstance).join(WorkflowInstance, Assignment.workflow_id == WorkflowInstance.id)
        .join(ProcessDefinition, WorkflowInstance.definition_id == ProcessDefinition.id)
        .where(WorkflowInstance.status == "error", ProcessDefinition.process_id == flow.PROCESS)
        .order_by(WorkflowInstance.updated_at.desc(), Assignment.id).limit(limit)).all()
    return [StuckAssignment(id=assignment.id, title=assignment.title, deal_number=assignment.deal.number,
                            status_label=flow.model_for(row.definition).labels.get(assignment.status,
                                                                                   assignment.status),
                            **stuck_fields(row))
            for assignment, row in rows]


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
        return Retried(assignment_id=assignment.id, proceeded=False, reason=str(failed),
                       process_id=definition.process_id, version=definition.version)
    instance.save()
    assignments.after_timers(instance, instance.passed_since(mark))
    return Retried(assignment_id=assignment.id, proceeded=True, reason="", process_id=definition.process_id,
                   version=definition.version)
