"""The assignment process's dashboard: assignments per status node now, the median stay, stuck ones.

The same page as the deal process's (processes.monitoring.dashboard): stays
are read from the assignment events that set a status.
"""
from processes.monitoring import WINDOW_DAYS, failed_nodes, status_figures
from tasks import assignment_failures
from tasks import assignment_flow as flow
from tasks.assignment_models import Assignment, AssignmentEvent


def dashboard(definition, days=WINDOW_DAYS):
    """What processes.monitoring.dashboard gives for deals, for the assignments of ``definition``'s process."""
    model = flow.model_for(definition)
    counts, medians = status_figures(Assignment, AssignmentEvent, AssignmentEvent.assignment_id, definition, days,
                                     kinds=None)
    node_of = {}
    for node_id, status in model.status_of_node.items():
        node_of.setdefault(status, node_id)
    nodes = [{"node_id": node_of.get(code, ""), "status": code, "label": label, "count": counts.get(code, 0),
              "median_seconds": medians.get(code)} for code, label in model.labels.items()]
    return {"process_id": definition.process_id, "version": definition.version, "days": days,
            "nodes": nodes, "failed": failed_nodes(definition), "stuck": assignment_failures.stuck_assignments()}
