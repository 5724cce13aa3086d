"""«Решения»: the deals waiting at a director's task, and when a decision must be claimed first.

A decision is a ready task of a lane other than the manager's (the diagram's
``director`` lane) that no assignment owns. It needs a claim only when more
than one person could take it — more than one active user of the lane's role —
so that two directors never decide the same deal; a lone director decides
straight away. The rule holds however the deal is moved: the decision page
(``inbox.complete``), the card's «Изменить статус», the API and bulk moves
(``processes.deal_record.MOVE_GUARDS``, registered below).
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from engine.clock import utcnow
from engine.db import db
from engine.models import ReadyTask
from processes import deal_record
from processes.access import require_role
from processes.errors import Forbidden
from processes.models import User

DECISION_LANE = "director"


@dataclass
class Decision:
    item: object          # tasks.inbox.TaskItem
    claim_needed: bool    # more than one person could take it: it is claimed first
    days_waiting: int

    @property
    def deal(self):
        return self.item.deal

    @property
    def holder(self):
        """Who holds the claim (None: nobody yet)."""
        return self.item.owner


def claimants(lane):
    """How many active users could take a task of ``lane`` (the lane names the role)."""
    return db.session.scalar(select(func.count()).select_from(User).where(User.role == lane, User.active))


def claim_needed(item, people=None):
    """Whether ``item`` (a TaskItem) is claimed before it is decided."""
    if item.assigned or item.lane == "manager":
        return False
    return (claimants(item.lane) if people is None else people) > 1


def require_claim(item, user):
    """Refuse a decision by someone who does not hold it while it needs a claim (admins act anywhere)."""
    if user.role == "admin" or not claim_needed(item):
        return
    if item.owner is None:
        raise Forbidden(f"claim the task «{item.name}» of deal {item.deal.number} first: "
                        f"more than one {item.lane} could take it")
    if item.owner.id != user.id:
        raise Forbidden(f"the task «{item.name}» of deal {item.deal.number} is held by {item.owner.display_name}")


def waiting(user, now=None):
    """Every deal waiting at a director's task, oldest first (directors and admins)."""
    from tasks import inbox  # the task list's query and rows; inbox imports this module for require_claim
    require_role(user, DECISION_LANE, "admin")
    items = inbox.items_where(inbox.UNASSIGNED, ReadyTask.lane == DECISION_LANE)
    now = now or utcnow()
    people = claimants(DECISION_LANE)
    return [Decision(item, claim_needed(item, people), max(0, (now - item.created_at).days)) for item in items]


def count_waiting(user):
    """How many decisions wait (one COUNT): the «Решения» badge; None for whoever has no such list."""
    if user.role not in (DECISION_LANE, "admin"):
        return None
    from tasks import inbox
    return db.session.scalar(inbox.count_where(inbox.UNASSIGNED, ReadyTask.lane == DECISION_LANE))


def _held_by_the_mover(user, deal, lane):
    """A move out of the director's lane by someone else than the holder of a shared decision is refused."""
    if user is None or lane != DECISION_LANE or user.role == "admin":
        return
    from tasks import inbox  # inbox builds on this module
    from processes.models import Deal
    for item in inbox.items_where(Deal.id == deal.id, ReadyTask.lane == lane):
        require_claim(item, user)


deal_record.MOVE_GUARDS.append(_held_by_the_mover)
