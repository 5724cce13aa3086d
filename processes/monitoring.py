"""What the process dashboard and the deal card's diagram show, from deals and deal_history.

A deal's stays are read from its history: each entry that sets a status
(created, move, decision, migrated) starts a stay in ``to_status`` that lasts
until the next such entry (or now). Stays are mapped onto the diagram's status
nodes through the status model, so the viewer can colour and annotate nodes.
"""
from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from sqlalchemy import func, select

from engine.db import db
from engine.models import WorkflowInstance, utcnow
from processes import deals, statuses
from processes.models import Deal, DealHistory

WINDOW_DAYS = 90
STATUS_KINDS = ("created", "move", "decision", "migrated")


@dataclass
class Stay:
    status: str
    entered: object
    left: object  # None while the deal is still there

    def seconds(self, now):
        return ((self.left or now) - self.entered).total_seconds()


def stays(entries):
    """The stays of one deal from its history entries in order."""
    result = []
    for entry in entries:
        if entry.kind not in STATUS_KINDS or not entry.to_status:
            continue
        if result and result[-1].status == entry.to_status:
            continue  # a migration keeps the status: the stay goes on
        if result:
            result[-1].left = entry.at
        result.append(Stay(entry.to_status, entry.at, None))
    return result


def deal_diagram(number):
    """The deal card's diagram: its definition, current node, the path and seconds spent per node."""
    deal = deals.get_deal(number)
    model = statuses.model_of(deal)
    now = utcnow()
    spent, path = {}, []
    for stay in stays(deals.history(deal)):
        status = model.by_code.get(stay.status)
        if status is None:
            continue
        spent[status.node_id] = spent.get(status.node_id, 0) + stay.seconds(now)
        if not path or path[-1] != status.node_id:
            path.append(status.node_id)
    definition = deal.workflow.definition if deal.workflow else statuses.current_definition()
    current = model.by_code.get(deal.status)
    return {"number": deal.number, "process_id": definition.process_id, "version": definition.version,
            "current": current.node_id if current else None, "status": deal.status, "path": path,
            "seconds": {node: round(value) for node, value in spent.items()}}


def dashboard(definition, days=WINDOW_DAYS):
    """Per status node of a definition: deals there now and the median stay over ``days``; stuck deals."""
    model = statuses.model_for(definition)
    now = utcnow()
    since = now - timedelta(days=days)
    counts = dict(db.session.execute(select(Deal.status, func.count()).group_by(Deal.status)).all())
    recent = select(DealHistory.deal_id).where(DealHistory.at >= since).distinct()
    entries = db.session.scalars(select(DealHistory).where(DealHistory.deal_id.in_(recent))
                                 .order_by(DealHistory.deal_id, DealHistory.id)).all()
    durations, by_deal = {}, {}
    for entry in entries:
        by_deal.setdefault(entry.deal_id, []).append(entry)
    for history in by_deal.values():
        for stay in stays(history):
            if stay.left is not None and stay.left >= since:
                durations.setdefault(stay.status, []).append(stay.seconds(now))
    nodes = [{"node_id": s.node_id, "status": s.code, "label": s.label, "count": counts.get(s.code, 0),
              "median_seconds": round(median(durations[s.code])) if s.code in durations else None}
             for s in model.statuses]
    return {"process_id": definition.process_id, "version": definition.version, "days": days,
            "nodes": nodes, "stuck": stuck_deals()}


def stuck_deals():
    """Deals whose workflow is in an error state, with the reason."""
    rows = db.session.execute(
        select(Deal.number, Deal.status, WorkflowInstance.error)
        .join(WorkflowInstance, Deal.workflow_id == WorkflowInstance.id)
        .where(WorkflowInstance.status == "error").order_by(Deal.number)).all()
    return [{"number": n, "status": s, "reason": e or ""} for n, s, e in rows]
