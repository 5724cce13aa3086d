"""The routing rule of a deal diagram: every status is reached by exactly the flow meant for it.

A move sets ``next_status`` to the status code and lets the diagram's gateways
route on it. So for each node whose outgoing flows have conditions on
``next_status`` (the routing gateway after the start and the statuses, the
director's verdict gateway), every condition is evaluated in the restricted
engine with every status code of the diagram, and the diagram is refused when

- a flow is taken for no status code (a misspelt ``next_status == 'tendr'``),
- a status code takes two flows (the gateway would pick one at random-looking order),
- a status the node's flows lead to is not reached when ``next_status`` is its code.

Each problem names the flow or the status; the engine only evaluates. A
condition that also reads other task data (a ``NameError`` with the status
code alone) or runs out of its CPU or memory budget (``ScriptError``: a run
refuses the move with that reason) cannot be judged here: its node's codes
are not checked further.
"""
import ast

from engine.conditions import Unevaluable, satisfying_each
from engine.errors import DiagramProblem, ScriptError
from processes.records.workflow import STEER

# Nodes where more than one flow may be taken are not routing nodes.
_NOT_ROUTING = ("parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway")


def _names(condition):
    try:
        tree = ast.parse(condition, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _routing_nodes(graph, process_id):
    for node in graph.process_nodes(process_id):
        if node.kind in _NOT_ROUTING:
            continue
        if any(STEER in _names(f.condition) for f in node.outgoing if f.condition):
            yield node


def _leads_to(graph, model, flow):
    """The status codes a flow reaches (its target, or the statuses beyond the gateways it enters)."""
    if flow.target in model.by_node:
        return [model.by_node[flow.target].code]
    if flow.target not in graph.nodes:
        return []
    codes = [] if graph.nodes[flow.target].kind == "endEvent" else \
        [model.by_node[n.id].code for n in graph.reachable(flow.target, lambda n: n.id in model.by_node)]
    return list(dict.fromkeys(codes))


def _into(codes):
    return f"status '{codes[0]}'" if len(codes) == 1 else f"statuses {', '.join(repr(c) for c in codes)}"


def _node_problems(graph, model, node, codes):
    conditioned = {f.id: f.condition for f in node.outgoing if f.condition}
    defaults = [f for f in node.outgoing if not f.condition]
    taken = satisfying_each(conditioned, STEER, codes)
    problems = []
    for flow_id, found in taken.items():
        flow = graph.flows[flow_id]
        leads = _leads_to(graph, model, flow) or [flow.target]
        if isinstance(found, Unevaluable):
            if isinstance(found.error, (NameError, ScriptError)):
                continue  # it reads other data, or ran out of its budget: only a run can tell
            problems.append(DiagramProblem(flow_id, f"the condition of flow '{flow_id}' into {_into(leads)} fails "
                                                    f"with {STEER} = '{found.value}': {found}"))
        elif not found:
            problems.append(DiagramProblem(flow_id, f"no status code satisfies the condition "
                                                    f"«{flow.condition}» of flow '{flow_id}' into {_into(leads)}"))
    by_code = {code: [f for f, found in taken.items() if isinstance(found, list) and code in found] for code in codes}
    for code, flows in by_code.items():
        if len(flows) > 1:
            problems.append(DiagramProblem(flows[-1], f"status code '{code}' satisfies the conditions of "
                                                      f"{len(flows)} flows out of '{node.id}': {', '.join(flows)}"))
    if any(isinstance(found, Unevaluable) for found in taken.values()):
        return problems  # what a code takes is unknown: the flow's own problem says why
    for flow in node.outgoing:
        for code in _leads_to(graph, model, flow):
            chosen = by_code.get(code) or [f.id for f in defaults]
            if not any(code in _leads_to(graph, model, graph.flows[f]) for f in chosen):
                status = model.by_code[code]
                took = ", ".join(chosen) or "no flow"
                problems.append(DiagramProblem(status.node_id, f"status '{code}' is never reached from '{node.id}' "
                                                               f"(flow '{flow.id}' leads there, but {STEER} == "
                                                               f"'{code}' takes {took})"))
    return problems


def routing_problems(graph, model, process_id):
    """The problems of every routing node of a process: flows no code takes, codes taking two, statuses missed."""
    codes = list(dict.fromkeys(s.code for s in model.statuses))
    problems = []
    for node in _routing_nodes(graph, process_id):
        problems.extend(_node_problems(graph, model, node, codes))
    seen, unique = set(), []
    for problem in problems:  # a status missed by two nodes' flows is named once per reason
        if (problem.element_id, problem.reason) not in seen:
            seen.add((problem.element_id, problem.reason))
            unique.append(problem)
    return unique
