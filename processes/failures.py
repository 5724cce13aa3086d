"""Deals stuck in an error of their process: recording the failure, listing it, retrying.

A move runs a deal's workflow past the status task it completes. When an
automated task on the way (a script) raises, the user's step is done but the
process's is not, so the move cannot just be refused: the instance is saved in
error with the failed task, the deal keeps its last status, a history entry
says why, and moves are refused until an analyst retries from that task,
with the task's data as it was or corrected (SpiffArena's «retry» on an
errored task, Camunda Cockpit's incident retry). A gateway that finds no way
is not such a failure: the move is refused and nothing changes.
"""
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select

from engine import definitions
from engine.db import db
from engine.errors import TaskFailed, WorkflowError
from engine.instances import Instance
from engine.models import ProcessDefinition, WorkflowInstance
from processes import deals, outbox, statuses, workflow
from processes.access import require_role
from processes.errors import ProcessFailed, ValidationError
from processes.fields import utc_text
from processes.models import Deal, DealHistory

LISTED = 100  # the dashboard lists at most this many stuck deals (each one's workflow is loaded)


@dataclass(kw_only=True)
class Stuck:
    """A process instance stuck in an error: where, why, since when, and the failed task's data."""

    status_label: str
    version: int
    node_id: str
    node_name: str
    reason: str
    since: datetime
    data: dict = field(default_factory=dict)  # the failed task's data, for the analyst to correct

    @property
    def data_text(self):
        """The task data as the JSON an analyst edits before a retry."""
        return json.dumps(self.data, ensure_ascii=False, indent=2, sort_keys=True, default=str)

    def as_dict(self):
        return {**asdict(self), "since": utc_text(self.since)}


@dataclass(kw_only=True)
class StuckDeal(Stuck):
    number: int
    name: str
    status: str


@dataclass(kw_only=True)
class RetryResult:
    """What a retry did: the instance went on, or failed again (``reason``)."""

    proceeded: bool
    reason: str
    process_id: str
    version: int

    def as_dict(self):
        return asdict(self)


@dataclass(kw_only=True)
class Retried(RetryResult):
    """A deal's retry: where the deal now is."""

    number: int
    status: str
    status_label: str


def _note(deal, user, from_status, reason):
    db.session.add(DealHistory(deal_id=deal.id, user_id=user.id if user else None, kind="error",
                               from_status=from_status, to_status=None, comment=reason))
    db.session.flush()


def record(deal, instance, user, from_status, failed):
    """Save the instance in error and note it in the deal's history; return the ProcessFailed to raise."""
    instance.save()
    _note(deal, user, from_status, str(failed))
    return ProcessFailed(f"deal {deal.number}: its process failed in '{failed.element_id}' ({failed}); "
                         f"it waits for an analyst to retry it from there", failed.element_id)


def timer_failed(instance, failed):
    """A script after a fired timer of a deal's diagram broke: the deal is stuck (as after a move) for a retry."""
    deal = deals.deal_of_workflow(instance.row.id)
    if deal is None:
        instance.save()
        return
    record(deal, instance, None, deal.status, failed)


def refuse_if_stuck(subject, instance):
    """A deal (or an assignment) whose process is in error goes no further until it is retried.

    ``subject`` names it in the refusal, e.g. ``deal 12``.
    """
    failure = instance.failure
    if failure is not None:
        raise WorkflowError(f"{subject} is stuck: its process failed in '{failure.node_id}' "
                            f"({failure.reason}); an analyst retries it from the process dashboard",
                            failure.node_id)


def failure_of(deal):
    """(node name, reason) when the deal's process is in error, else None (read from the row alone)."""
    return row_failure(deal.workflow)


def row_failure(row):
    """(node name, reason) when a workflow row is in error, else None."""
    if row is None or row.status != "error":
        return None
    node = definitions.parsed(row.definition).graph.nodes.get(row.error_node or "")
    return (node.name if node else "") or row.error_node or "", row.error or ""


def stuck_fields(row):
    """The Stuck fields of a workflow row in error (its version, failed node, reason, time and task data)."""
    node_name, reason = row_failure(row)
    return {"version": row.definition.version, "node_id": row.error_node or "", "node_name": node_name,
            "reason": reason, "since": row.updated_at, "data": Instance.from_row(row).failed_data()}


def stuck_deals(process_id, limit=LISTED):
    """The deals of ``process_id`` whose workflow is in error, newest failure first."""
    rows = db.session.execute(
        select(Deal, WorkflowInstance).join(WorkflowInstance, Deal.workflow_id == WorkflowInstance.id)
        .join(ProcessDefinition, WorkflowInstance.definition_id == ProcessDefinition.id)
        .where(WorkflowInstance.status == "error", ProcessDefinition.process_id == process_id)
        .order_by(WorkflowInstance.updated_at.desc(), Deal.number).limit(limit)).all()
    result = []
    for deal, row in rows:
        status = statuses.model_for(row.definition).by_code.get(deal.status)
        result.append(StuckDeal(
            number=deal.number, name=deal.name, status=deal.status,
            status_label=status.label if status else deal.status, **stuck_fields(row)))
    return result


def check_retry(user, data):
    """Only analysts and admins retry a process; corrected task data must be a JSON object the engine can load."""
    require_role(user, "analyst", "admin")
    if data is not None and not isinstance(data, dict):
        raise ValidationError({"data": "the task data must be a JSON object"})
    if data is not None and _has_typename(data):
        # SpiffWorkflow's serializer reads such a dict as one of its own objects and fails to load it.
        raise ValidationError({"data": "the task data may not hold a 'typename' key"})


def retry_deal(number, user, data=None):
    """Run a stuck deal's failed task again (with ``data`` as its data if given); return Retried.

    Only analysts and admins retry. Failing again is an answer, not an error:
    the instance stays in error with the new reason. The edge commits.
    """
    check_retry(user, data)
    deal = deals.get_deal(number)
    if deal.workflow is None or deal.workflow.status != "error":
        raise WorkflowError(f"deal {deal.number} is not stuck in an error")
    instance = Instance.from_row(deal.workflow)
    definition = instance.definition
    try:
        instance.retry(data)
    except TaskFailed as failed:
        instance.save()
        _note(deal, user, deal.status, str(failed))
        return _retried(deal, definition, False, str(failed))
    model = statuses.model_for(definition)
    reached = workflow.status_of(instance, model)
    instance.save()
    if reached is not None:
        deals.record_status(deal, reached, model.get(reached).stage, user, "retry", deal.status)
    _notify_responsible(deal, _label(definition, deal.status), user)
    return _retried(deal, definition, True, "")


def _retried(deal, definition, proceeded, reason):
    return Retried(number=deal.number, proceeded=proceeded, status=deal.status,
                   status_label=_label(definition, deal.status), reason=reason,
                   process_id=definition.process_id, version=definition.version)


def _notify_responsible(deal, label, user):
    """The deal's manager learns that the deal they could not move is theirs to work again."""
    if deal.responsible is not None and deal.responsible_id != user.id:
        outbox.enqueue([deal.responsible], f"deal:{deal.number}:retried",
                       f"Сделка № {deal.number} снова в работе: {label}",
                       f"№ {deal.number} · {deal.name}\n{deal.company}\n\n"
                       f"Процесс сделки повторён ({user.display_name}); сделка в статусе «{label}».\n")


def _has_typename(value):
    if isinstance(value, dict):
        return "typename" in value or any(_has_typename(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_typename(v) for v in value)
    return False


def _label(definition, code):
    status = statuses.model_for(definition).by_code.get(code)
    return status.label if status else code
