"""Deploy BPMN as versioned process definitions and look them up.

A deploy parses and validates the source (raising InvalidDiagram naming the
element), then adds one row per executable process with the next version
number. Rows are immutable; running instances stay on the row they started on.
"""
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from engine.db import db
from engine.labels import localized
from engine.models import ProcessDefinition, WorkflowInstance
from engine.parsing import spec_cache


def parse(source):
    """Parse and check a diagram (cached by hash); raises InvalidDiagram."""
    return spec_cache.get(source)


def deploy(source, deployed_by="", check=None, differs=None):
    """Deploy every executable process in source; return the rows in effect.

    ``check(parsed)`` lets a caller add its own rules (raising InvalidDiagram)
    before anything is written. Deploying a process whose meaning is unchanged
    (engine/canonical.py: layout, order, prefixes, whitespace aside) is a
    no-op: its newest row is returned as it is, unless ``differs(current row,
    parsed, process_id)`` sees a change the domain cares about in the layout.
    New rows have ``created`` set.
    """
    if isinstance(source, str):
        source = source.encode("utf-8")
    parsed = parse(source)
    if check is not None:
        check(parsed)
    rows = []
    for process_id in parsed.process_ids:
        current = latest(process_id)
        if current is not None and unchanged(current, parsed, process_id) \
                and not (differs and differs(current, parsed, process_id)):
            rows.append(current)
            continue
        row = ProcessDefinition(
            process_id=process_id,
            version=(current.version + 1) if current else 1,
            name=parsed.graph.processes[process_id]["name"],
            source=source,
            hash=parsed.hash,
            deployed_by=deployed_by or "",
        )
        row.created = True
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    db.session.info.pop(_LATEST, None)
    return rows


def unchanged(definition, parsed_diagram, process_id):
    """True when a parsed diagram's process means what a deployed definition's does."""
    if definition.hash == parsed_diagram.hash:
        return True
    return parsed(definition).fingerprints.get(process_id) == parsed_diagram.fingerprints[process_id]


_LATEST = "dealflow.latest_definitions"  # {process id: newest row}, kept for one transaction


def latest(process_id):
    """The newest version of a process, or None.

    Read once per transaction: a page asks for it several times (statuses, filters, board), and a
    deploy (here, or by another connection, seen from the next transaction on) changes it rarely.
    """
    known = db.session.info.setdefault(_LATEST, {})
    if process_id not in known:
        known[process_id] = db.session.scalars(
            select(ProcessDefinition)
            .where(ProcessDefinition.process_id == process_id)
            .order_by(ProcessDefinition.version.desc())
            .limit(1)
        ).first()
    return known[process_id]


@event.listens_for(Session, "after_transaction_end")
def _forget_latest(session, transaction):
    if transaction.parent is None:
        session.info.pop(_LATEST, None)


def versions(process_id):
    """Every version of a process, newest first."""
    return db.session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
                              .order_by(ProcessDefinition.version.desc())).all()


def get(definition_id):
    return db.session.get(ProcessDefinition, definition_id)


def get_many(ids):
    """{id: definition} of several rows in one query (the source loads only if the parse cache misses)."""
    ids = set(ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(ProcessDefinition).where(ProcessDefinition.id.in_(ids)))
    return {row.id: row for row in rows}


def parsed(definition):
    """The parsed diagram of a definition row, from the cache."""
    return spec_cache.get_by_hash(definition.hash, lambda: definition.source)


def node_label(definition_id, node_id, default, definition=None):
    """A node's name in the reader's language (engine.labels); ``default`` without a translation.

    ``definition``, the row of ``definition_id`` when the caller has it, saves looking it up."""
    node = parsed(definition or get(definition_id)).graph.nodes.get(node_id)
    return localized(default, node.properties) if node is not None else default


def process_label(definition):
    """A definition's process name in the reader's language (its process's ``label.<language>`` property)."""
    process = parsed(definition).graph.processes.get(definition.process_id, {})
    return localized(definition.name, process.get("properties", {}))


def list_definitions():
    """Every definition with the number of running instances on it."""
    counts = dict(db.session.execute(
        select(WorkflowInstance.definition_id, func.count())
        .where(WorkflowInstance.status != "completed")
        .group_by(WorkflowInstance.definition_id)
    ).all())
    rows = db.session.scalars(
        select(ProcessDefinition).order_by(ProcessDefinition.process_id, ProcessDefinition.version)
    ).all()
    return [(row, counts.get(row.id, 0)) for row in rows]
