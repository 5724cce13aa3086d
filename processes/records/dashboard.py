"""The process dashboard of a record type: records per status node now, the median stay, stuck records.

Stays are read from the record's history: each entry that sets a status
(of the record type's ``status_kinds``) starts a stay in ``to_status`` that
lasts until the next such entry (or now). The figures span every version of the
process (a status is the same status in every version by its code), so a deploy
does not reset them: deals completed on v1 still count on v2's dashboard.
``version`` narrows them to the records that run on one version.
"""
from datetime import timedelta
from statistics import median

from sqlalchemy import func, select

from engine.clock import utcnow
from engine.db import db
from engine.models import ProcessDefinition, WorkflowInstance
from processes.records import failures
from processes.records.history import stays

WINDOW_DAYS = 90


def dashboard(kind, definition, days=WINDOW_DAYS, version=None):
    """Per status of a definition: its records there now and their median stay over ``days``; stuck records.

    Records of every version count unless ``version`` names one.
    """
    model = kind.model_for(definition)
    counts, medians = status_figures(kind, definition, days, version)
    labels = model.labels
    nodes = [{"node_id": node_id, "status": code, "label": labels[code], "count": counts.get(code, 0),
              "median_seconds": medians.get(code)} for code, node_id in model.first_nodes().items()]
    return {"process_id": definition.process_id, "version": definition.version, "days": days, "only": version,
            "nodes": nodes, "failed": failed_nodes(definition),
            "stuck": failures.stuck(kind, definition.process_id)}


def status_figures(kind, definition, days, version=None):
    """({status: how many now}, {status: median seconds of the stays that ended in the last ``days``}).

    The records of every version of ``definition``'s process count; with ``version``, those running on it.
    """
    rows, history = kind.model, kind.history
    owner = getattr(history, kind.owner)
    now = utcnow()
    since = now - timedelta(days=days)
    members = (select(rows.id).join(WorkflowInstance, rows.workflow_id == WorkflowInstance.id)
               .join(ProcessDefinition, ProcessDefinition.id == WorkflowInstance.definition_id)
               .where(ProcessDefinition.process_id == definition.process_id))
    if version is not None:
        members = members.where(ProcessDefinition.version == version)
    counts = dict(db.session.execute(select(rows.status, func.count()).where(rows.id.in_(members))
                                     .group_by(rows.status)).all())
    recent = select(owner).where(history.at >= since, owner.in_(members)).distinct()
    entries = db.session.scalars(select(history).where(owner.in_(recent)).order_by(owner, history.id)).all()
    by_owner, durations = {}, {}
    for entry in entries:
        by_owner.setdefault(getattr(entry, kind.owner), []).append(entry)
    for found in by_owner.values():
        for stay in stays(found, kind.status_kinds):
            if stay.left is not None and stay.left >= since:
                durations.setdefault(stay.status, []).append(stay.seconds(now))
    return counts, {code: round(median(seconds)) for code, seconds in durations.items()}


def failed_nodes(definition):
    """{node id: how many instances of this version are stuck there}."""
    return dict(db.session.execute(
        select(WorkflowInstance.error_node, func.count())
        .where(WorkflowInstance.definition_id == definition.id, WorkflowInstance.status == "error")
        .group_by(WorkflowInstance.error_node)).all())
