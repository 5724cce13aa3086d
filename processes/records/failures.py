"""Records stuck in an error of their process: recording the failure, listing it, retrying.

A move (or a fired timer) runs a record's workflow past the task it
completes. When an automated task on the way (a script) raises, the user's
step is done but the process's is not, so the move cannot just be refused:
the instance is saved in error with the failed task, the record keeps its
last status, a history entry says why, and moves are refused until an
analyst retries from that task, with the task's data as it was or corrected
(SpiffArena's «retry» on an errored task, Camunda Cockpit's incident retry).
A gateway that finds no way is not such a failure: the move is refused and
nothing changes.
"""
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select

from engine import definitions
from engine.db import db
from engine.errors import TaskFailed
from engine.instances import Instance
from engine.models import ProcessDefinition, WorkflowInstance
from processes.access import require_role
from processes.errors import CannotProceed, ProcessFailed, ValidationError
from processes.fields import utc_text
from processes.records import following, history

LISTED = 100  # a dashboard lists at most this many stuck records (each one's workflow is loaded)


class _RecordFields:
    """The record type's own fields (``record``) read as attributes and merged into ``as_dict``."""

    def __getattr__(self, name):
        record = self.__dict__.get("record") or {}
        if name in record:
            return record[name]
        raise AttributeError(name)


@dataclass(kw_only=True)
class Stuck(_RecordFields):
    """A record stuck in an error: where, why, since when, and the failed task's data."""

    status_label: str
    version: int
    node_id: str
    node_name: str
    reason: str
    since: datetime
    data: dict = field(default_factory=dict)  # the failed task's data, for the analyst to correct
    record: dict = field(default_factory=dict)  # the record type's own fields (a deal's number and name)

    @property
    def data_text(self):
        """The task data as the JSON an analyst edits before a retry."""
        return json.dumps(self.data, ensure_ascii=False, indent=2, sort_keys=True, default=str)

    def as_dict(self):
        body = asdict(self)
        return {**body.pop("record"), **body, "since": utc_text(self.since)}


@dataclass(kw_only=True)
class Retried(_RecordFields):
    """What a retry did: the instance went on, or failed again (``reason``); and where the record is."""

    proceeded: bool
    reason: str
    process_id: str
    version: int
    record: dict = field(default_factory=dict)

    def as_dict(self):
        body = asdict(self)
        return {**body.pop("record"), **body}


def record_failure(kind, record, instance, user, from_status, failed):
    """Save the instance in error and note it in the record's history; return the ProcessFailed to raise."""
    instance.save()
    history.note(kind, record, user, "error", from_status if kind.error_from_status else None, comment=str(failed))
    return ProcessFailed(f"{kind.subject(record)}: its process failed in '{failed.element_id}' ({failed}); "
                         f"it waits for an analyst to retry it from there", failed.element_id)


def refuse_if_stuck(subject, instance):
    """A record whose process is in error goes no further until it is retried.

    ``subject`` names it in the refusal, e.g. ``deal 12``.
    """
    failure = instance.failure
    if failure is not None:
        raise CannotProceed(f"{subject} is stuck: its process failed in '{failure.node_id}' "
                             f"({failure.reason}); an analyst retries it from the process dashboard",
                             failure.node_id)


def failure_of(kind, record):
    """(node name, reason) when a record's process is in error, else None (read from its workflow row alone)."""
    return _row_failure(kind.workflow_row(record))


def _row_failure(row):
    if row is None or row.status != "error":
        return None
    node = definitions.parsed(row.definition).graph.nodes.get(row.error_node or "")
    return (node.name if node else "") or row.error_node or "", row.error or ""


def stuck(kind, process_id=None, limit=LISTED):
    """The records of ``kind`` whose workflow of ``process_id`` (its own by default) is in error, newest first."""
    model = kind.model
    rows = db.session.execute(
        select(model, WorkflowInstance).join(WorkflowInstance, model.workflow_id == WorkflowInstance.id)
        .join(ProcessDefinition, WorkflowInstance.definition_id == ProcessDefinition.id)
        .where(WorkflowInstance.status == "error", ProcessDefinition.process_id == (process_id or kind.process_id))
        .order_by(WorkflowInstance.updated_at.desc(), getattr(model, kind.key)).limit(limit)).all()
    result = []
    for record, row in rows:
        node_name, reason = _row_failure(row)
        result.append(Stuck(status_label=kind.model_for(row.definition).labels.get(record.status, record.status),
                            version=row.definition.version, node_id=row.error_node or "", node_name=node_name,
                            reason=reason, since=row.updated_at, data=Instance.from_row(row).failed_data(),
                            record=kind.stuck_fields(record)))
    return result


def check_retry(user, data):
    """Only analysts and admins retry a process; corrected task data must be a JSON object the engine can load."""
    require_role(user, "analyst", "admin")
    if data is not None and not isinstance(data, dict):
        raise ValidationError({"data": "the task data must be a JSON object"})
    if data is not None and _has_typename(data):
        # SpiffWorkflow's serializer reads such a dict as one of its own objects and fails to load it.
        raise ValidationError({"data": "the task data may not hold a 'typename' key"})


def retry(kind, key, user, data=None):
    """Run a stuck record's failed task again (with ``data`` as its data if given); return Retried.

    Only analysts and admins retry. Failing again is an answer, not an error:
    the instance stays in error with the new reason. The edge commits.
    """
    check_retry(user, data)
    record = kind.get(key)
    row = kind.workflow_row(record)
    if row is None or row.status != "error":
        raise CannotProceed(f"{kind.subject(record)} is not stuck in an error")
    instance = Instance.from_row(row)
    definition = instance.definition
    mark = instance.checkpoint()
    try:
        instance.retry(data)
    except TaskFailed as failed:
        instance.save()
        history.note(kind, record, user, "error", record.status if kind.error_from_status else None,
                     comment=str(failed))
        return _retried(kind, record, definition, False, str(failed))
    instance.save()
    following.follow(kind, record, instance, instance.passed_since(mark), user, "retry")
    if kind.after_retry is not None:
        kind.after_retry(record, user)
    return _retried(kind, record, definition, True, "")


def _retried(kind, record, definition, proceeded, reason):
    return Retried(proceeded=proceeded, reason=reason, process_id=definition.process_id,
                   version=definition.version, record=kind.retried_fields(record, definition))


def _has_typename(value):
    if isinstance(value, dict):
        return "typename" in value or any(_has_typename(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_typename(v) for v in value)
    return False
