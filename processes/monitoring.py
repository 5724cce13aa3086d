"""What the process dashboard and the deal card's diagram show, from deals and deal_history.

A deal's stays are read from its history: each entry that sets a status
(created, move, decision, migrated, retry) starts a stay in ``to_status`` that
lasts until the next such entry (or now). Stays are mapped onto the diagram's
status nodes through the status model, so the viewer can colour and annotate
nodes; the flows between consecutive statuses (through gateways and scripts)
are the shortest way the diagram allows, since history keeps statuses only.
"""
from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from sqlalchemy import func, select

from engine import definitions
from engine.db import db
from engine.models import WorkflowInstance, utcnow
from processes import deals, failures, statuses
from processes.models import Deal, DealHistory

WINDOW_DAYS = 90
STATUS_KINDS = ("created", "move", "decision", "migrated", "retry", "timer")


@dataclass
class Stay:
    status: str
    entered: object
    left: object  # None while the deal is still there

    def seconds(self, now):
        return ((self.left or now) - self.entered).total_seconds()


def stays(entries, kinds=STATUS_KINDS):
    """The stays of one deal (or anything with a status history) from its history entries in order.

    ``kinds``: the entry kinds that set a status; None counts every entry with a ``to_status``.
    """
    result = []
    for entry in entries:
        if (kinds is not None and entry.kind not in kinds) or not entry.to_status:
            continue
        if result and result[-1].status == entry.to_status:
            continue  # a migration keeps the status: the stay goes on
        if result:
            result[-1].left = entry.at
        result.append(Stay(entry.to_status, entry.at, None))
    return result


def deal_diagram(number):
    """The deal card's diagram: its definition, current node, the path taken and seconds spent per node.

    ``path`` lists the status nodes in the order the deal went through them;
    ``visited`` and ``flows`` are every node and flow on the way (start event
    and gateways included); ``failed`` is the node its process failed in.
    """
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
    failed = deal.workflow.error_node if deal.workflow is not None and deal.workflow.status == "error" else None
    visited, flows = _way(definitions.parsed(definition).graph, definition.process_id, model,
                          path + ([failed] if failed else []))
    return {"number": deal.number, "process_id": definition.process_id, "version": definition.version,
            "current": current.node_id if current else None, "status": deal.status, "path": path,
            "visited": visited, "flows": flows, "failed": failed,
            "seconds": {node: round(value) for node, value in spent.items()}}


def _way(graph, process_id, model, nodes):
    """(node ids, flow ids) of the way through ``nodes`` in order, from the start event that leads there."""
    if not nodes:
        return [], []
    at_status = lambda node: node.id in model.by_node  # noqa: E731 - the stop rule of every leg
    starts = [n.id for n in graph.process_nodes(process_id) if n.kind == "startEvent"]
    first = next((leg for leg in (graph.path_flows(s, nodes[0], at_status) for s in starts) if leg), [])
    legs = [first] + [graph.path_flows(a, b, at_status) for a, b in zip(nodes, nodes[1:])]
    flows = [flow for leg in legs for flow in leg]
    visited = [node for flow in flows for node in (flow.source, flow.target)] + list(nodes)
    return list(dict.fromkeys(visited)), list(dict.fromkeys(flow.id for flow in flows))


def dashboard(definition, days=WINDOW_DAYS):
    """Per status node of a definition: its deals there now and their median stay over ``days``; stuck deals."""
    model = statuses.model_for(definition)
    counts, medians = status_figures(Deal, DealHistory, DealHistory.deal_id, definition, days)
    nodes = [{"node_id": s.node_id, "status": s.code, "label": s.label, "count": counts.get(s.code, 0),
              "median_seconds": medians.get(s.code)} for s in model.statuses]
    return {"process_id": definition.process_id, "version": definition.version, "days": days,
            "nodes": nodes, "failed": failed_nodes(definition),
            "stuck": failures.stuck_deals(definition.process_id)}


def status_figures(rows, history, owner, definition, days, kinds=STATUS_KINDS):
    """({status: how many now}, {status: median seconds of the stays that ended in the last ``days``}).

    ``rows`` is the model counted (its ``status`` and ``workflow_id``), only its rows whose workflow runs on
    ``definition``; ``history`` their history model (``at``, ``kind``, ``to_status``) and ``owner`` its column
    naming the row; ``kinds`` as in ``stays``.
    """
    now = utcnow()
    since = now - timedelta(days=days)
    members = (select(rows.id).join(WorkflowInstance, rows.workflow_id == WorkflowInstance.id)
               .where(WorkflowInstance.definition_id == definition.id))
    counts = dict(db.session.execute(select(rows.status, func.count()).where(rows.id.in_(members))
                                     .group_by(rows.status)).all())
    recent = select(owner).where(history.at >= since, owner.in_(members)).distinct()
    entries = db.session.scalars(select(history).where(owner.in_(recent)).order_by(owner, history.id)).all()
    by_owner, durations = {}, {}
    for entry in entries:
        by_owner.setdefault(getattr(entry, owner.key), []).append(entry)
    for history in by_owner.values():
        for stay in stays(history, kinds):
            if stay.left is not None and stay.left >= since:
                durations.setdefault(stay.status, []).append(stay.seconds(now))
    return counts, {code: round(median(seconds)) for code, seconds in durations.items()}


def failed_nodes(definition):
    """{node id: how many instances of this version are stuck there}."""
    return dict(db.session.execute(
        select(WorkflowInstance.error_node, func.count())
        .where(WorkflowInstance.definition_id == definition.id, WorkflowInstance.status == "error")
        .group_by(WorkflowInstance.error_node)).all())
