"""What the deal card's diagram shows, from deal_history (the dashboard: processes.records.dashboard).

A deal's stays are read from its history: each entry that sets a status
(created, move, decision, migrated, retry) starts a stay in ``to_status`` that
lasts until the next such entry (or now). Stays are mapped onto the diagram's
status nodes through the status model, so the viewer can colour and annotate
nodes; the flows between consecutive statuses (through gateways and scripts)
are the shortest way the diagram allows, since history keeps statuses only.
"""
from datetime import timedelta

from engine import definitions
from engine.clock import utcnow
from processes import analytics, deals, letters, statuses
from processes.analytics.scope import Scope, today
from processes.intake import MESSAGE
from processes.deal_record import DEAL
from processes.records.history import stays


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
    for stay in stays(deals.history(deal), DEAL.status_kinds):
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
                          path + ([failed] if failed else []), MESSAGE if letters.came_by_mail(deal) else "")
    return {"number": deal.number, "process_id": definition.process_id, "version": definition.version,
            "current": current.node_id if current else None, "status": deal.status, "path": path,
            "visited": visited, "flows": flows, "failed": failed,
            "seconds": {node: round(value) for node, value in spent.items()}}


def _way(graph, process_id, model, nodes, message=""):
    """(node ids, flow ids) of the way through ``nodes`` in order, from the start event that leads there.

    A deal a letter made starts at the start event of that ``message`` («Письмо получено»); any other
    deal at a start event that waits for no message («Сделка создана»), when such a one leads there.
    """
    if not nodes:
        return [], []
    at_status = lambda node: node.id in model.by_node  # noqa: E731 - the stop rule of every leg
    starts = sorted((n for n in graph.process_nodes(process_id) if n.kind == "startEvent"),
                    key=lambda n: n.message != message)  # stable: the drawing's order among equals
    starts = [n.id for n in starts]
    first = next((leg for leg in (graph.path_flows(s, nodes[0], at_status) for s in starts) if leg), [])
    legs = [first] + [graph.path_flows(a, b, at_status) for a, b in zip(nodes, nodes[1:])]
    flows = [flow for leg in legs for flow in leg]
    visited = [node for flow in flows for node in (flow.source, flow.target)] + list(nodes)
    return list(dict.fromkeys(visited)), list(dict.fromkeys(flow.id for flow in flows))


def real_paths(definition, days, version=None):
    """The moves deals actually made in the last ``days`` (all versions, or ``version``), drawn on ``definition``.

    ``flows``: per sequence flow of the diagram, how many moves went along it (a move between two
    statuses follows the shortest way the diagram allows, through its gateways) and, when one move
    alone used it, that move's median stay before it. ``moves``: every move with its flow ids;
    ``apart``: moves this diagram does not allow (or whose statuses it no longer has).
    """
    last = today()
    scope = Scope(last - timedelta(days=days - 1), last, version=version)
    model = statuses.model_for(definition)
    graph = definitions.parsed(definition).graph
    at_status = lambda node: node.id in model.by_node  # noqa: E731 - the stop rule of every leg
    drawn, apart, per_flow = [], [], {}
    for move in analytics.transitions(scope)["moves"]:
        came, went = model.by_code.get(move["from"]), model.by_code.get(move["to"])
        if came is None or went is None or move["to"] not in model.allowed(move["from"]):
            apart.append(move)
            continue
        flows = [flow.id for flow in graph.path_flows(came.node_id, went.node_id, at_status)]
        drawn.append({**move, "flows": flows})
        for flow in flows:
            per_flow.setdefault(flow, []).append(move)
    flows = [{"flow_id": flow, "count": sum(m["count"] for m in moves),
              "median_seconds": moves[0]["median_seconds"] if len(moves) == 1 else None}
             for flow, moves in per_flow.items()]
    return {"days": days, "flows": flows, "moves": drawn, "apart": apart}
