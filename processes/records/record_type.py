"""The declaration of a record type: which process, which tables, who acts, what follows a move or a timer."""
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import select

from engine.db import db
from engine.models import WorkflowInstance
from processes import fields
from processes.errors import Forbidden, NotFound
from processes.records import statuses


def no_extra_values(record, status, user):
    return {}


@dataclass(frozen=True, eq=False)
class RecordType:
    """A kind of record that lives in a BPMN process.

    The model (``model``) has ``id``, ``status``, ``workflow_id`` and an
    integer ``version``; the history model (``history``) has ``owner`` (the
    column naming the record), ``at``, ``user_id``, ``kind``, ``from_status``,
    ``to_status`` and ``comment``. The hooks receive the record and say what
    is the record's own; every hook has a default that does nothing more.
    """

    name: str                 # how messages name it: "deal 12"
    process_id: str           # the diagram's process id
    model: type
    history: type
    owner: str                # the history column holding the record's id, e.g. "deal_id"
    key: str = "id"           # the attribute people name a record by (a deal's number)
    lanes: dict = field(default_factory=dict)  # lane id → roles acting there; a lane not listed: its role, admin
    move_entries: dict = field(default_factory=dict)  # lane id → history kind of a move out of it ("move")
    status_kinds: tuple | None = None  # history kinds that set a status; None: every entry with a to_status
    status_model: type = statuses.StatusModel
    error_from_status: bool = True     # a failure's history entry names the status it happened in
    # (user, record, lane) → None or raise Forbidden; the default reads ``lanes``
    may_act: Callable | None = None
    # (record, status, user) → more columns to write with a new status (a deal's stage, its taker)
    status_values: Callable = no_extra_values
    # (record, came_from, landed, user, comment) after a move was written
    after_move: Callable | None = None
    # (record, instance, passed, user, entry) mirrors the workflow after a timer or a retry ran it on;
    # None: follow the status it reached (records.moves.follow_status)
    follow: Callable | None = None
    # (record, user) after a retry went on: tell whoever waits for the record
    after_retry: Callable | None = None
    # record → its own fields in a stuck list, and in a retry's answer
    stuck_fields: Callable = lambda record: {"id": record.id}
    retried_fields: Callable = lambda record, definition: {"id": record.id}

    def subject(self, record):
        """How refusals name a record: ``deal 12``."""
        return f"{self.name} {getattr(record, self.key)}"

    def model_for(self, definition):
        return statuses.model_for(definition, self.status_model)

    def current_definition(self):
        return statuses.current_definition(self.process_id)

    def current_model(self):
        """The status model of the newest deployed version (read per call: no restart after a deploy)."""
        return self.model_for(self.current_definition())

    def get(self, key):
        """The record named ``key`` (its number, its id), else NotFound."""
        number = fields.lookup_id(key)
        record = db.session.scalar(select(self.model).where(getattr(self.model, self.key) == number)) \
            if number is not None else None
        if record is None:
            raise NotFound(f"no {self.name} {key}")
        return record

    def of_workflow(self, instance_id):
        """The record a workflow instance runs, or None (the instance is another process's)."""
        return db.session.scalars(select(self.model).where(self.model.workflow_id == instance_id)).first()

    def workflow_row(self, record):
        return db.session.get(WorkflowInstance, record.workflow_id) if record.workflow_id is not None else None

    def require_can_act(self, user, record, lane):
        """Act on a record's task in ``lane``: ``may_act`` when declared, else a role ``lanes`` lists there."""
        if self.may_act is not None:
            return self.may_act(user, record, lane)
        if user is None:
            raise Forbidden("log in first")
        if user.role not in self.lanes.get(lane, (lane, "admin")):
            raise Forbidden(f"only a {lane} acts on {self.subject(record)} in this status")
        return None
