"""What a deploy would change in a process, against its newest deployed version.

Statuses added, removed (with the records sitting in each now), renamed (same
code, new name), moved to another stage or lane; allowed moves added and
removed; every other property of a status compared as the diagram writes it
(rotDays, wipLimit, commentRequired, labels…: no list to keep up to date); the
board's order. ``changed`` is False when the process means what the deployed
one does (engine/canonical.py) and the board's order is the same: such a
deploy makes no version.
"""
from sqlalchemy import func, select

from engine import definitions
from engine.db import db
from processes.errors import NotFound
from processes.records.statuses import StatusModel

# Compared on their own: the code is the status's identity; name, stage and lane have their own entries.
_OWN = ("status", "stage")


def _properties(model, status):
    props = dict(model.node(status.node_id).properties)
    for name in _OWN:
        props.pop(name, None)
    return props


def _status_dict(status):
    return {"code": status.code, "name": status.name, "stage": status.stage, "lane": status.lane}


def _counts(kind, codes):
    """{status code: records sitting in it now} for the record type ``kind`` (None: none counted)."""
    if kind is None or not codes:
        return {}
    return dict(db.session.execute(select(kind.model.status, func.count()).where(kind.model.status.in_(codes))
                                   .group_by(kind.model.status)).all())


def _moves(model):
    return {(code, target) for code in model.by_code for target in model.allowed(code)}


def compare(old, new, kind=None):
    """The differences between two status models (``old`` None: a process deployed for the first time)."""
    old_by = old.by_code if old is not None else {}
    added = [_status_dict(s) for s in new.statuses if s.code not in old_by and s.code in new.by_code]
    removed_codes = [code for code in old_by if code not in new.by_code]
    counts = _counts(kind, removed_codes)
    removed = [{**_status_dict(old_by[code]), "records": counts.get(code, 0)} for code in removed_codes]
    renamed, moved, properties = [], [], []
    for code, status in new.by_code.items():
        before = old_by.get(code)
        if before is None:
            continue
        if before.name != status.name:
            renamed.append({"code": code, "old": before.name, "new": status.name})
        if (before.stage, before.lane) != (status.stage, status.lane):
            moved.append({"code": code, "old_stage": before.stage, "new_stage": status.stage,
                          "old_lane": before.lane, "new_lane": status.lane})
        was, now = _properties(old, before), _properties(new, status)
        for name in sorted(set(was) | set(now)):
            if was.get(name) != now.get(name):
                properties.append({"code": code, "property": name, "old": was.get(name), "new": now.get(name)})
    old_moves = _moves(old) if old is not None else set()
    new_moves = _moves(new)
    order = [s.code for s in new.statuses if s.code in old_by]
    return {
        "statuses": {"added": added, "removed": removed, "renamed": renamed, "moved": moved},
        "moves": {"added": [list(m) for m in sorted(new_moves - old_moves)],
                  "removed": [list(m) for m in sorted(old_moves - new_moves)]},
        "properties": properties,
        "order_changed": old is not None and order != [s.code for s in old.statuses if s.code in new.by_code],
    }


def order_differs(current, parsed, process_id):
    """The board's left-to-right order of the statuses both versions have differs (the layout the domain reads).

    ``definitions.deploy``'s ``differs``: a re-ordered board is a change worth a version.
    """
    old, new = StatusModel(definitions.parsed(current).graph, process_id), StatusModel(parsed.graph, process_id)
    return [s.code for s in old.statuses if s.code in new.by_code] != \
        [s.code for s in new.statuses if s.code in old.by_code]


def diff(source, process_id, kind=None):
    """What deploying ``source`` would change in ``process_id`` (raises InvalidDiagram, NotFound)."""
    parsed = definitions.parse(source)
    if process_id not in parsed.specs:
        raise NotFound(f"the diagram has no executable process '{process_id}'")
    current = definitions.latest(process_id)
    new = StatusModel(parsed.graph, process_id)
    old = StatusModel(definitions.parsed(current).graph, process_id) if current is not None else None
    body = compare(old, new, kind)
    changed = current is None or not definitions.unchanged(current, parsed, process_id) or body["order_changed"]
    return {"process_id": process_id, "from_version": current.version if current else None, "changed": changed,
            **body}
