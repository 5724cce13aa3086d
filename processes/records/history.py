"""A record's history: the entries that set its status (and the others), read back as stays."""
import functools
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from engine.clock import utcnow
from engine.db import db
from processes.errors import Conflict


def write_status(kind, record, status, user, entry, from_status, comment=""):
    """Write a record's new ``status`` (a Status) and its history entry: one version-checked UPDATE, one INSERT.

    Core statements rather than an ORM flush: this is the hot path of every
    move. They run on the session's connection (the session's execute would
    only look it up again). No row matched means the record changed since it
    was read: Conflict.
    """
    values = {"status": status.code, "version": record.version + 1, **kind.status_values(record, status, user)}
    connection = db.session.connection()
    # Statements built once per table: the SET clause and the row are the columns named in the parameters.
    result = connection.execute(_versioned_update(kind.model.__table__),
                                {"record_id": record.id, "read_version": record.version, **values})
    if result.rowcount != 1:
        raise Conflict(f"{kind.subject(record)} was changed by someone else")
    for name, value in values.items():
        set_committed_value(record, name, value)
    _refresh_references(record, values)
    row = {kind.owner: record.id, "at": utcnow(), "user_id": user.id if user else None, "kind": entry,
           "from_status": from_status, "to_status": status.code, "comment": comment or ""}
    statement = _insert(kind.history.__table__)
    if hasattr(kind.history, "stay_began") and kind.history.ends_a_stay(entry, from_status, status.code):
        statement, row["stay_owner"] = _insert_ending_stay(kind.history), record.id  # deals keep stays
    connection.execute(statement, row)


_STATEMENTS = {}


def _versioned_update(table):
    key = ("update", table)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = update(table).where(table.c.id == bindparam("record_id"),
                                               table.c.version == bindparam("read_version"))
    return _STATEMENTS[key]


def _insert(table):
    key = ("insert", table)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = insert(table)
    return _STATEMENTS[key]


_OWNER = bindparam("stay_owner")


def _insert_ending_stay(history):
    """The INSERT of an entry ending a stay: when the stay began is read inside it, no statement before it."""
    key = ("insert ending a stay", history.__table__)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = insert(history.__table__).values(entered_at=history.stay_began(_OWNER))
    return _STATEMENTS[key]


def _refresh_references(record, values):
    """A reference written by id (a deal's responsible) shows the row it now names, from the session."""
    for column, key, target in _references(type(record)):
        if column in values:
            value = values[column]
            set_committed_value(record, key, None if value is None else db.session.get(target, value))


@functools.cache
def _references(model):
    """(column, relationship, class) of each many-to-one reference of ``model`` held in one column."""
    found = []
    for relationship in inspect(model).relationships:
        columns = [column.key for column in relationship.local_columns]
        if len(columns) == 1 and not relationship.uselist:
            found.append((columns[0], relationship.key, relationship.mapper.class_))
    return tuple(found)


def note(kind, record, user, entry, from_status=None, to_status=None, comment=""):
    """Add a history entry that sets no status (a claim, an error); flushed."""
    db.session.add(kind.history(**{kind.owner: record.id}, user_id=user.id if user else None, kind=entry,
                                from_status=from_status, to_status=to_status, comment=comment or ""))
    db.session.flush()


def note_created(kind, ids, statuses):
    """The ``created`` entries of records the system made together (no user): one INSERT."""
    if ids:
        at = utcnow()
        db.session.execute(insert(kind.history.__table__), [
            {kind.owner: record_id, "at": at, "user_id": None, "kind": "created", "from_status": None,
             "to_status": status, "comment": ""} for record_id, status in zip(ids, statuses)])


def entries(kind, record):
    """A record's history, oldest first."""
    owner = getattr(kind.history, kind.owner)
    return db.session.scalars(select(kind.history).where(owner == record.id).order_by(kind.history.id)).all()


@dataclass
class Stay:
    status: str
    entered: object
    left: object  # None while the record is still there

    def seconds(self, now):
        return ((self.left or now) - self.entered).total_seconds()


def stays(found, kinds=None):
    """The stays of one record from its history entries in order.

    ``kinds``: the entry kinds that set a status; None counts every entry with a ``to_status``.
    """
    result = []
    for entry in found:
        if (kinds is not None and entry.kind not in kinds) or not entry.to_status:
            continue
        if result and result[-1].status == entry.to_status:
            continue  # a migration keeps the status: the stay goes on
        if result:
            result[-1].left = entry.at
        result.append(Stay(entry.to_status, entry.at, None))
    return result
