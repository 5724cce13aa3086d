"""Task lists and actions over the engine's ready tasks.

Who owns a ready task, one rule for every process: a task whose ``owner``
property names an instance-data variable belongs to the user in it (the
engine keeps that value as the task's assignee: an assignment's performer,
verifier or initiator); otherwise, in the ``manager`` lane, the deal's
responsible (no responsible: a group task of managers); in any other lane
whoever claimed it (no claim: a group task of the role named like the lane).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from engine import definitions
from engine.db import db
from engine.models import ReadyTask, WorkflowInstance
from processes import activities
from processes import deals as deal_service
from processes import moves, statuses
from processes.activity_models import Activity
from processes.errors import Conflict, Forbidden, NotFound, ValidationError
from processes.fields import utc_text
from processes.models import Deal, User
from tasks import assignments, decisions
from tasks.assignment_models import Assignment
from tasks.models import TaskClaim

OWNER_LANE = "manager"  # the lane whose tasks belong to the deal's responsible


@dataclass
class TaskItem:
    id: str
    node_id: str
    name: str
    lane: str
    created_at: datetime
    deal: Deal
    owner: User | None
    assignment: Assignment | None = None  # the assignment the task belongs to, if any

    @property
    def assigned(self):
        """True when the owner comes from the instance data (never a group task)."""
        return self.assignment is not None

    def as_dict(self):
        body = {"id": self.id, "node_id": self.node_id, "name": self.name, "lane": self.lane,
                "created_at": utc_text(self.created_at),
                "deal": {"number": self.deal.number, "name": self.deal.name, "status": self.deal.status,
                         "version": self.deal.version},
                "owner": self.owner.username if self.owner else None}
        if self.assignment is not None:
            a = self.assignment
            body["assignment"] = {"id": a.id, "title": a.title, "status": a.status, "overdue": a.overdue,
                                  "due_at": utc_text(a.due_at),
                                  "version": a.version}
        return body


_Assignee = aliased(User)
_UNASSIGNED = ReadyTask.assignee.is_(None)
UNASSIGNED = _UNASSIGNED  # a task no instance-data variable owns: a lane's task


def _query():
    return (select(ReadyTask, Deal, TaskClaim, User, _Assignee, Assignment, WorkflowInstance.definition_id)
            .join(WorkflowInstance, WorkflowInstance.id == ReadyTask.instance_id)
            .outerjoin(Assignment, Assignment.workflow_id == ReadyTask.instance_id)
            .join(Deal, or_(Deal.workflow_id == ReadyTask.instance_id, Deal.id == Assignment.deal_id))
            .outerjoin(TaskClaim, TaskClaim.task_id == ReadyTask.task_id)
            .outerjoin(User, User.id == TaskClaim.user_id)
            .outerjoin(_Assignee, cast(_Assignee.id, String) == ReadyTask.assignee)
            .order_by(ReadyTask.created_at, ReadyTask.id))


def _items(query):
    result = []
    rows = db.session.execute(query).all()
    kept = definitions.get_many(row[-1] for row in rows)  # one query, not one per row
    for ready, deal, claim, claimer, assignee, assignment, definition_id in rows:
        if ready.assignee is not None:
            owner = assignee
        else:
            owner = deal.responsible if ready.lane == OWNER_LANE else claimer
        name = definitions.node_label(definition_id, ready.node_id, ready.name, kept.get(definition_id))
        result.append(TaskItem(ready.task_id, ready.node_id, name, ready.lane, ready.created_at, deal, owner,
                               assignment))
    return result


def items_where(*conditions):
    """The task rows matching ``conditions`` (over the ready task, its deal, claim and owner), oldest first."""
    return _items(_query().where(*conditions))


def count_where(*conditions):
    """A COUNT of the deals' own ready tasks matching ``conditions`` (no assignment's)."""
    return (select(func.count()).select_from(ReadyTask)
            .join(Deal, Deal.workflow_id == ReadyTask.instance_id).where(*conditions))


def _idle():
    return statuses.current_model().idle_codes


def _not_idle(idle):
    """A deal's task counts unless the deal waits on nobody (pause, refusal, archive: ``actionable=false``);
    an assignment is work handed to someone and counts whatever the deal's status."""
    return or_(Assignment.id.is_not(None), Deal.status.not_in(idle)) if idle else True


def _mine(user, idle):
    return and_(or_(
        ReadyTask.assignee == str(user.id),
        and_(_UNASSIGNED, ReadyTask.lane == OWNER_LANE, Deal.responsible_id == user.id),
        and_(_UNASSIGNED, ReadyTask.lane != OWNER_LANE, TaskClaim.user_id == user.id)), _not_idle(idle))


def _to_take(user, idle):
    """Group tasks of the user's own role (unprocessed deals for a manager, decisions for a director)."""
    return and_(_UNASSIGNED, ReadyTask.lane == user.role, _not_idle(idle), or_(
        and_(ReadyTask.lane == OWNER_LANE, Deal.responsible_id.is_(None)),
        and_(ReadyTask.lane != OWNER_LANE, TaskClaim.task_id.is_(None))))


def _due_activities(user, idle):
    # The deal's status is looked up per due activity (a primary-key probe each) rather than joined: with a
    # join PostgreSQL misjudges how many are due and hashes every deal (a whole-table scan on each page's
    # header count); SQLite, too, reads less this way.
    status = select(Deal.status).where(Deal.id == Activity.deal_id).scalar_subquery()
    return select(Activity).where(activities.due_for(user), status.not_in(idle))


def my_tasks(user):
    """The ready tasks the user owns (the API's ``scope=mine``)."""
    return _items(_query().where(_mine(user, _idle())))


@dataclass
class Agenda:
    """«Мои задачи»: what needs the user now."""
    tasks: list        # TaskItem the user owns: decisions, deal steps, assignments
    to_take: list      # TaskItem of the user's role nobody took yet: unprocessed deals, decisions
    activities: list   # the user's activities due today or overdue, soonest first

    @property
    def count(self):
        return len(self.tasks) + len(self.to_take) + len(self.activities)


def agenda(user):
    idle = _idle()
    due = db.session.scalars(_due_activities(user, idle).options(joinedload(Activity.deal))
                             .order_by(Activity.due_at, Activity.id)).all()
    return Agenda(_items(_query().where(_mine(user, idle))), _items(_query().where(_to_take(user, idle))), due)


def group_tasks(user):
    lanes = None if user.role == "admin" else [user.role]
    query = _query().where(_UNASSIGNED, or_(
        and_(ReadyTask.lane == OWNER_LANE, Deal.responsible_id.is_(None)),
        and_(ReadyTask.lane != OWNER_LANE, TaskClaim.task_id.is_(None))))
    if lanes is not None:
        query = query.where(ReadyTask.lane.in_(lanes))
    return _items(query)


def count_my_tasks(user):
    """The header's number: as many as «Мои задачи» lists (``agenda``), in one COUNT query."""
    def counted(query):
        return select(func.count()).select_from(query.order_by(None).subquery()).scalar_subquery()
    idle = _idle()  # the newest diagram's idle statuses (its definition row: a lookup, not a count)
    tasks = _query().with_only_columns(ReadyTask.id, maintain_column_froms=True)
    activities_due = _due_activities(user, idle).with_only_columns(Activity.id, maintain_column_froms=True)
    return db.session.scalar(select(counted(tasks.where(_mine(user, idle))) + counted(tasks.where(_to_take(user, idle)))
                                    + counted(activities_due)))


def get_task(task_id):
    items = _items(_query().where(ReadyTask.task_id == str(task_id)))
    if not items:
        raise NotFound(f"no open task {task_id}")
    return items[0]


def _require_lane(user, item):
    if user.role != "admin" and user.role != item.lane:
        raise Forbidden(f"tasks of the lane '{item.lane}' are for the role {item.lane}")


def _require_assignee(user, item):
    if item.owner is None or item.owner.id != user.id:
        raise Forbidden(f"the task «{item.name}» belongs to {item.owner.username if item.owner else 'nobody'}")


def claim(task_id, user):
    item = get_task(task_id)
    if item.assigned:
        _require_assignee(user, item)  # already the owner's: nothing to claim
        return item
    _require_lane(user, item)
    if item.lane == OWNER_LANE:
        moves.claim_deal(item.deal, user)
        return get_task(task_id)
    existing = db.session.get(TaskClaim, item.id)
    if existing is not None and existing.user_id != user.id:
        raise Conflict("the task is already claimed by someone else")
    if existing is None:
        db.session.add(TaskClaim(task_id=item.id, user_id=user.id))
        db.session.flush()
    return get_task(task_id)


def unclaim(task_id, user):
    item = get_task(task_id)
    if item.assigned:
        raise Forbidden("an assigned task cannot be released: its owner comes from the assignment")
    if item.owner is None:
        return item
    if item.owner.id != user.id and user.role != "admin":
        raise Forbidden("only the owner or an admin releases a task")
    if item.lane == OWNER_LANE:
        deal_service.update_deal(item.deal, {"responsible_id": None}, user)
    else:
        db.session.delete(db.session.get(TaskClaim, item.id))
        db.session.flush()
    return get_task(task_id)


def complete(task_id, user, data):
    """Complete a task: a deal's with ``data['status']`` (the status to move to), an assignment's with
    ``data['verdict']``; returns the deal or the assignment."""
    item = get_task(task_id)
    if item.assigned:
        data = data or {}
        if not data.get("verdict"):
            raise ValidationError({"verdict": "required"})
        return assignments.decide(item.assignment, str(data["verdict"]), user, data.get("comment", ""),
                                  data.get("version"))
    target = (data or {}).get("status") or (data or {}).get("next_status")
    if not target:
        raise ValidationError({"status": "required: the status to move the deal to"})
    if item.owner is not None and item.owner.id != user.id and user.role not in ("admin", "director"):
        raise Forbidden("the task belongs to someone else")
    decisions.require_claim(item, user)  # two directors: the one holding it decides; a lone one just decides
    deal = moves.move_deal(item.deal, target, user, comment=data.get("comment", ""),
                           expected_version=data.get("version"))
    claim_row = db.session.get(TaskClaim, item.id)
    if claim_row is not None:
        db.session.delete(claim_row)
        db.session.flush()
    return deal
