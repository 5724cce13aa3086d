"""Starting a record, moving it from status to status, and following its workflow when a timer or retry ran it.

Every move of every record type comes through ``move``: the version the
client read, the workflow's own status, the lane's people, the diagram's
flows and a required reason are checked, the workflow is run, and the
record's status and history are written; the record type's ``after_move``
then does what is its own (a deal mails the lane it landed in).
"""
from engine.db import db
from engine.errors import TaskFailed
from engine.instances import Instance
from processes import fields
from processes.errors import Conflict, InvalidTransition, NotFound, ValidationError
from processes.records import bulk, failures, history, workflow


def check_version(kind, record, expected_version):
    """A client that read an older version of the record is refused: Conflict."""
    if not fields.same_version(expected_version, record.version):
        raise Conflict(f"{kind.subject(record)} was changed by someone else (now version {record.version})")


def create(kind, user, values, status=None, data=None, message=None):
    """Start a workflow of ``kind`` in ``status`` (the first the plain start allows when None) or through
    ``message``, add its record with ``values`` and a ``created`` history entry; flushed."""
    definition = kind.current_definition()
    model = kind.model_for(definition)
    if message is None:
        status = status or first_status(kind, model)
        if status not in model.start_moves:
            raise ValidationError({"status": f"a {kind.name} cannot start in '{status}' "
                                             f"(one of: {', '.join(model.start_moves)})"})
    instance, reached = workflow.start(definition, model, status, data, message, kind.name)
    record = kind.model(workflow_id=instance.id, status=reached, **values)
    for name, value in kind.status_values(record, model.get(reached), None).items():
        setattr(record, name, value)
    db.session.add(record)
    db.session.flush()
    history.note(kind, record, user, "created", to_status=reached)
    return record


def create_many(kind, rows, payloads, message):
    """Start one workflow per payload through ``message`` and add a record per row of values with a ``created``
    history entry: one INSERT per table for them all (records the system makes, such as deals from letters).

    Returns the new records' ids, in order; nothing is read back into the session.
    """
    definition = kind.current_definition()
    model = kind.model_for(definition)
    records = []
    for values, (instance, reached) in zip(rows, workflow.start_many(definition, model, payloads, message)):
        record = {**values, "workflow_id": instance.id, "status": reached, "version": 1}
        record.update(kind.status_values(kind.model(**record), model.get(reached), None))
        records.append(record)
    ids = bulk.insert_returning_ids(kind.model.__table__, records)
    history.note_created(kind, ids, [record["status"] for record in records])
    return ids


def first_status(kind, model):
    starts = [model.by_code[c] for c in model.start_moves if c in model.by_code]
    if not starts:
        raise NotFound(f"the {kind.name} diagram's plain start leads to no status")
    return min(starts, key=lambda s: s.order).code


def move(kind, record, target, user, comment="", expected_version=None):
    """Move a record to ``target`` if the diagram, the user's lane and the version allow.

    Raises Conflict (stale version), Forbidden, InvalidTransition or
    ValidationError; on success the record, its workflow and a history entry
    are flushed (the caller commits). A script failing on the way raises
    ProcessFailed after recording the record as stuck (records.failures).
    """
    check_version(kind, record, expected_version)
    row = kind.workflow_row(record)
    if row is None:
        raise NotFound(f"{kind.subject(record)} has no workflow")
    instance = Instance.from_row(row)
    failures.refuse_if_stuck(kind.subject(record), instance)
    model = kind.model_for(instance.row.definition)
    if model.status_of(instance) != record.status:
        # The workflow was read after a concurrent move committed; the record's row is older.
        raise Conflict(f"{kind.subject(record)} was changed by someone else")
    current = model.get(record.status)
    kind.require_can_act(user, record, current.lane)
    if target not in model.by_code:
        newest = kind.current_definition()
        if newest.id != row.definition_id and target in kind.model_for(newest).by_code:
            raise InvalidTransition(
                f"{kind.subject(record)} runs on version {row.definition.version} of the process, which has no "
                f"status '{target}': an analyst migrates it to version {newest.version} first")
        raise InvalidTransition(f"unknown status '{target}'")
    if target not in model.allowed(current.code):
        raise InvalidTransition(
            f"the diagram allows no move from '{current.code}' to '{target}' "
            f"(allowed: {', '.join(model.allowed(current.code)) or 'none'})")
    comment = (comment or "").strip()
    if model.needs_comment(current.code, target) and not comment:
        raise ValidationError({"comment": "a reason is required for this status"})
    try:
        workflow.run_move(instance, model, current.code, target, {"comment": comment, "actor": user.username},
                          kind.name)
    except TaskFailed as failed:
        raise failures.record_failure(kind, record, instance, user, current.code, failed) from None
    landed = model.get(target)
    history.write_status(kind, record, landed, user, kind.move_entries.get(current.lane, "move"), current.code,
                         comment)
    if kind.after_move is not None:
        kind.after_move(record, current, landed, user, comment)
    return record
