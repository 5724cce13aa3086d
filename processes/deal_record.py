"""Deals as a process-backed record: the ``deal`` process, the deals table, and what is a deal's own.

A deal's own part of the mechanism (processes.records): a manager acts on the
deals they are responsible for (processes.access), a move out of the
director's lane is a «decision», a new status writes its stage and the time,
moving an unowned deal takes it, a deal landing in another role's lane is
mailed to that role, and a retried deal's manager is told it moves again.
"""
from engine.clock import utcnow
from processes import outbox, users
from processes.access import require_can_act
from processes.models import STATUS_KINDS, Deal, DealHistory
from processes.records import RecordType

PROCESS = "deal"


def status_values(deal, status, user):
    """A deal keeps its status's stage and when it changed; a manager moving an unowned deal takes it."""
    values = {"stage": status.stage, "status_changed_at": utcnow()}
    if user is not None and deal.responsible_id is None and user.role == "manager":
        values["responsible_id"] = user.id
    return values


def notify_lane(deal, came_from, landed, user, comment):
    """A deal that lands in another role's lane (the director's decision) is mailed to that role."""
    if landed.lane and landed.lane not in (came_from.lane, "manager") and not landed.final:
        outbox.enqueue(users.list_users(landed.lane), f"deal:{deal.number}:{landed.code}",
                       f"{landed.label}: № {deal.number} {deal.name}",
                       f"№ {deal.number} · {deal.name}\n{deal.company}\n\n{comment}\n")


def notify_responsible(deal, user):
    """The deal's manager learns that the deal they could not move is theirs to work again."""
    if deal.responsible is not None and deal.responsible_id != user.id:
        label = status_label(deal, DEAL.model_for(DEAL.workflow_row(deal).definition))
        outbox.enqueue([deal.responsible], f"deal:{deal.number}:retried",
                       f"Сделка № {deal.number} снова в работе: {label}",
                       f"№ {deal.number} · {deal.name}\n{deal.company}\n\n"
                       f"Процесс сделки повторён ({user.display_name}); сделка в статусе «{label}».\n")


# Rules of a higher layer on who moves a deal out of a lane: (user, deal, lane) → None or raise Forbidden.
# ``tasks.decisions`` adds one: a decision more than one director could take is moved by the one holding it.
MOVE_GUARDS = []


def may_act(user, deal, lane):
    """The deal's own rule (``access.require_can_act``), then every guard registered by a higher layer."""
    require_can_act(user, deal, lane)
    for guard in MOVE_GUARDS:
        guard(user, deal, lane)


def status_label(deal, model):
    return model.labels.get(deal.status, deal.status)


DEAL = RecordType(
    name="deal", process_id=PROCESS, model=Deal, history=DealHistory, owner="deal_id", key="number",
    move_entries={"director": "decision"}, status_kinds=STATUS_KINDS,
    may_act=may_act, status_values=status_values, after_move=notify_lane,
    after_retry=notify_responsible,
    stuck_fields=lambda deal: {"number": deal.number, "name": deal.name, "status": deal.status},
    retried_fields=lambda deal, definition: {"number": deal.number, "status": deal.status,
                                             "status_label": status_label(deal, DEAL.model_for(definition))},
)
