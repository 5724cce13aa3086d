"""The one place a deal changes status: kanban drags, «Изменить статус», the
director's decision, the CLI and the API all come through ``move_deal``."""
from sqlalchemy.orm.exc import StaleDataError

from engine.db import db
from engine.errors import TaskFailed
from engine.instances import Instance
from processes import deals, failures, fields, outbox, statuses, users, workflow
from processes.access import require_can_act
from processes.deals import record_status
from processes.errors import Conflict, InvalidTransition, NotFound, ValidationError
from processes.models import DealHistory


def move_deal(deal, target, user, comment="", expected_version=None):
    """Move a deal to ``target`` if the diagram, the user's role and the version allow.

    Raises Conflict (stale version), Forbidden, InvalidTransition or
    ValidationError; on success the deal, its workflow and a history entry are
    flushed (the caller commits). A script failing on the way raises
    ProcessFailed after recording the deal as stuck (see processes/failures.py).
    """
    if not fields.same_version(expected_version, deal.version):
        raise Conflict(f"deal {deal.number} was changed by someone else (now version {deal.version})")
    instance = Instance.from_row(deal.workflow) if deal.workflow is not None else None
    if instance is None:
        raise NotFound(f"deal {deal.number} has no workflow")
    failures.refuse_if_stuck(f"deal {deal.number}", instance)
    model = statuses.model_for(instance.row.definition)
    if workflow.status_of(instance, model) != deal.status:
        # The workflow was read after a concurrent move committed; the deal row is older.
        raise Conflict(f"deal {deal.number} was changed by someone else")
    current = model.get(deal.status)
    require_can_act(user, deal, current.lane)
    if target not in model.by_code:
        raise InvalidTransition(f"unknown status '{target}'")
    if target not in model.allowed(current.code):
        raise InvalidTransition(
            f"the diagram allows no move from '{current.code}' to '{target}' "
            f"(allowed: {', '.join(model.allowed(current.code)) or 'none'})")
    comment = (comment or "").strip()
    if _needs_comment(instance, model, current.code, target) and not comment:
        raise ValidationError({"comment": "a reason is required for this status"})
    try:
        workflow.run_move(instance, model, current.code, target, {"comment": comment, "actor": user.username})
    except TaskFailed as failed:
        raise failures.record(deal, instance, user, current.code, failed) from None
    record_status(deal, target, model.get(target).stage, user,
                  "decision" if current.lane == "director" else "move", current.code, comment)
    _notify_lane(deal, current, model.get(target), comment)
    return deal


def after_timers(instance, passed):
    """A timer of the deal's diagram (say a boundary timer on a status) moved the deal: the deal follows.

    Called by the worker after it fired the instance's due timers; the status
    and history are written as for a move, by nobody, of kind ``timer``.
    """
    deal = deals.deal_of_workflow(instance.row.id)
    if deal is None:
        return
    model = statuses.model_for(instance.row.definition)
    reached = workflow.status_of(instance, model)
    if reached is not None and reached != deal.status:
        fired = [instance.diagram.graph.nodes[node].name or node for node in passed
                 if node in instance.diagram.graph.nodes and node not in model.by_node][:1]
        record_status(deal, reached, model.get(reached).stage, None, "timer", deal.status, ", ".join(fired))


def _notify_lane(deal, current, landed, comment):
    """A deal that lands in another role's lane (the director's decision) is mailed to that role."""
    if landed.lane and landed.lane not in (current.lane, "manager") and not landed.final:
        outbox.enqueue(users.list_users(landed.lane), f"deal:{deal.number}:{landed.code}",
                       f"{landed.label}: № {deal.number} {deal.name}",
                       f"№ {deal.number} · {deal.name}\n{deal.company}\n\n{comment}\n")


def _needs_comment(instance, model, current, target):
    """A reason is required by the target status node or by a flow on the way to it."""
    graph = instance.diagram.graph
    node = graph.nodes[model.get(target).node_id]
    path = graph.path_flows(model.get(current).node_id, node.id, lambda n: n.id in model.by_node)
    return any(_truthy(item.properties.get("commentRequired")) for item in [node, *path])


def _truthy(value):
    return (value or "").lower() in ("true", "1", "yes")


def claim_deal(deal, user):
    """A manager takes an unowned deal: they become its responsible."""
    if user.role not in ("manager", "admin"):
        raise ValidationError({"": "only a manager claims a deal"})
    if deal.responsible_id not in (None, user.id):
        raise Conflict(f"deal {deal.number} is already taken by {deal.responsible.display_name}")
    deal.responsible = user
    db.session.add(DealHistory(deal_id=deal.id, user_id=user.id, kind="claim",
                               from_status=deal.status, to_status=deal.status))
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(f"deal {deal.number} was changed by someone else") from None
    return deal
