"""Dealflow's own rules for a deal diagram, each problem naming the element.

The engine has already checked XML, schema, flows, SpiffWorkflow parsing and
the restricted compilation of code. These rules say what makes a BPMN process
a *deal* process that the kanban, the card and the moves can run:

- every status node has a unique, non-empty ``status`` code and a ``stage``;
- a working status is a task the workflow waits in (user, manual or plain task);
- every working status can reach an end event;
- every working status can be entered from the plain start (the routing
  gateway steered by ``next_status``), so a long-lived deal can be restarted
  and a running deal migrated to a new version at its status;
- a status node sits in a lane whose id is an acting role (manager, director)
  or in no lane: the lane id is who acts there (processes/access.py);
- **the decision**: a status from which a move reaches a final status (an end
  event with a status: the deal is won) is the decision, and only the
  commercial director decides, so it must sit in the ``director`` lane. The
  rule follows the flows, not a node id: an analyst who renames or adds a
  decision task is held to it as well;
- every routing condition on ``next_status`` is taken by exactly the status
  codes it leads to (processes/routing.py).
"""
from engine.errors import DiagramProblem, InvalidDiagram
from processes.routing import routing_problems
from processes.statuses import DEAL_PROCESS, StatusModel

ACTING_LANES = ("manager", "director")
DECIDER_LANE = "director"
WAITING_KINDS = ("userTask", "manualTask", "task")


def _code_problems(graph, nodes):
    problems, seen = [], {}
    for node in nodes:
        code = node.properties["status"]
        if not code.strip():
            problems.append(DiagramProblem(node.id, "empty status code"))
        elif code in seen:
            problems.append(DiagramProblem(node.id, f"status code '{code}' is also used by {seen[code]}"))
        else:
            seen[code] = node.id
        if not node.properties.get("stage", "").strip():
            problems.append(DiagramProblem(node.id, f"status '{code}' has no stage property"))
        if node.kind != "endEvent" and node.kind not in WAITING_KINDS:
            problems.append(DiagramProblem(
                node.id, f"status '{code}' is a {node.kind}: a status must be a user, manual or plain task "
                         f"(or an end event) so the deal waits in it"))
        elif node.kind != "endEvent" and not graph.can_reach_end(node.id):
            problems.append(DiagramProblem(node.id, f"status '{code}' cannot reach an end event"))
        if node.lane_id and node.lane_id not in ACTING_LANES:
            problems.append(DiagramProblem(
                node.id, f"status '{code}' is in lane '{node.lane_id}': a lane id names the role acting "
                         f"there, one of {', '.join(ACTING_LANES)}"))
    return problems


def _model_problems(model):
    problems = []
    finals = {s.code for s in model.statuses if s.final}
    for status in model.statuses:
        if status.final:
            continue
        if status.code not in model.start_moves:
            problems.append(DiagramProblem(
                status.node_id, f"status '{status.code}' cannot be entered from the plain start "
                                f"(route the start's gateway to it on next_status == '{status.code}')"))
        won = finals.intersection(model.allowed(status.code))
        if won and status.lane != DECIDER_LANE:
            problems.append(DiagramProblem(
                status.node_id, f"status '{status.code}' decides the deal (it leads to "
                                f"{', '.join(sorted(won))}): the decision task must be in the "
                                f"'{DECIDER_LANE}' lane, not '{status.lane or 'none'}'"))
    return problems


def check_deal_diagram(parsed):
    """Apply the deal rules to a parsed diagram; raise InvalidDiagram naming elements."""
    if DEAL_PROCESS not in parsed.specs:
        return
    graph = parsed.graph
    nodes = [n for n in graph.process_nodes(DEAL_PROCESS) if n.properties.get("status") is not None]
    if not nodes:
        raise InvalidDiagram.single(DEAL_PROCESS, "the deal process has no node with a status property")
    problems = _code_problems(graph, nodes)
    if not problems:
        model = StatusModel(graph, DEAL_PROCESS)
        problems = routing_problems(graph, model, DEAL_PROCESS) + _model_problems(model)
    if problems:
        raise InvalidDiagram(problems)


def problems_of(source, parse):
    """Every problem of a diagram (engine and deal rules) without deploying it; [] when valid."""
    try:
        check_deal_diagram(parse(source))
    except InvalidDiagram as exc:
        return exc.problems
    return []
