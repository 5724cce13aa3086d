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

from sqlalchemy import String, and_, bindparam, cast, false, func, literal_column, or_, select, true
from sqlalchemy.orm import aliased, joinedload

from engine import definitions
from engine.db import db, generic_plan, written_in
from engine.models import ReadyTask, WorkflowInstance
from processes import activities
from processes import deals as deal_service
from processes import moves, statuses
from processes.activity_models import Activity
from processes.errors import Conflict, Forbidden, NotFound, ValidationError
from processes.fields import utc_text
from processes.models import Deal, User
from processes.records.listing import page_count
from tasks import assignments, decisions
from tasks.assignment_models import Assignment
from tasks.models import TaskClaim

OWNER_LANE = "manager"  # the lane whose tasks belong to the deal's responsible (also in migration 0021's triggers)


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


# A ready task belongs to a deal one of two ways: it is a task of the deal's own workflow, or of one of the
# deal's assignments. Each way is its own equi-join (one SQL statement each): joined as one ``OR`` condition the
# database cannot use an index and pairs every ready task with every deal.
DEAL_TASKS, ASSIGNMENT_TASKS = "deal", "assignment"
BRANCHES = (DEAL_TASKS, ASSIGNMENT_TASKS)


def _joined(query, branch, assignment=True):
    """``query`` (from ReadyTask) joined with the task's deal, and its assignment (none for a deal's own task:
    joined on false for the columns, unless ``assignment`` is False)."""
    if branch == DEAL_TASKS:
        query = query.join(Deal, Deal.workflow_id == ReadyTask.instance_id)
        return query.outerjoin(Assignment, false()) if assignment else query
    return (query.join(Assignment, Assignment.workflow_id == ReadyTask.instance_id)
            .join(Deal, Deal.id == Assignment.deal_id))


def _query(branch):
    query = (select(ReadyTask, Deal, TaskClaim, User, _Assignee, Assignment, WorkflowInstance.definition_id)
             .join(WorkflowInstance, WorkflowInstance.id == ReadyTask.instance_id))
    return (_joined(query, branch)
            .outerjoin(TaskClaim, TaskClaim.task_id == ReadyTask.task_id)
            .outerjoin(User, User.id == TaskClaim.user_id)
            .outerjoin(_Assignee, cast(_Assignee.id, String) == ReadyTask.assignee))


def _items(where, limit=None, offset=0):
    """The tasks matching ``where``, oldest first; with ``limit``, the ``limit`` tasks after the first ``offset``.

    ``where(branch)`` gives, for one way a task belongs to a deal, disjoint parts (each a list of conditions):
    one statement each, so that each can start from its own index rather than test an ``OR`` on every row.
    """
    return _built(_rows(where, limit, offset))


def _rows(where, limit=None, offset=0):
    rows = []
    for branch in BRANCHES:
        for part in where(branch):
            query = _query(branch).where(*part)
            if limit is not None:
                query = query.order_by(ReadyTask.created_at, ReadyTask.id).limit(offset + limit)
            rows += db.session.execute(query).all()
    rows.sort(key=lambda row: (row[0].created_at, row[0].id))
    return rows if limit is None else rows[offset:offset + limit]


def _built(rows):
    kept = definitions.get_many(row[-1] for row in rows)  # one query, not one per row
    result = []
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
    return _items(lambda branch: [conditions])


def count_where(*conditions):
    """A COUNT of the deals' own ready tasks matching ``conditions`` (no assignment's)."""
    return (select(func.count()).select_from(ReadyTask)
            .join(Deal, Deal.workflow_id == ReadyTask.instance_id).where(*conditions))


def _idle():
    return statuses.current_model().idle_codes


def _not_idle(idle, branch):
    """A deal's task counts unless the deal waits on nobody (pause, refusal, archive: ``actionable=false``);
    an assignment is work handed to someone and counts whatever the deal's status."""
    return Deal.status.not_in(written_in(idle)) if idle and branch == DEAL_TASKS else true()


@dataclass(frozen=True)
class _Who:
    """A user as the task conditions read them: their id (also as text, as instance data names an assignee),
    their role, whether that role takes deals; values, or parameters of a statement built once."""
    id: object
    key: object
    role: object
    takes_deals: bool

    @classmethod
    def of(cls, user):
        return cls(user.id, str(user.id), user.role, user.role == OWNER_LANE)


def _responsibles(branch):
    """A deal's own task in the owner lane: only a deal that has one (``Deal.responsible_tasks``, kept by the
    database) can match, so one person's deals are read from the index of those alone — not each of their deals
    waiting in another lane, probed and rejected. The 0 is written into the SQL: a parameter would keep both
    databases from using that partial index."""
    return Deal.responsible_tasks > literal_column("0") if branch == DEAL_TASKS else true()


def _mine(who, idle):
    """The user's tasks, in three disjoint parts: the instance data names the user; a deal's step of which the
    user is the responsible; a task of another lane the user claimed."""
    return lambda branch: [
        [ReadyTask.assignee == who.key, _not_idle(idle, branch)],
        [_UNASSIGNED, ReadyTask.lane == OWNER_LANE, Deal.responsible_id == who.id, _responsibles(branch),
         _not_idle(idle, branch)],
        [_UNASSIGNED, ReadyTask.lane != OWNER_LANE, TaskClaim.user_id == who.id, _not_idle(idle, branch)]]


def _to_take(who, idle):
    """Group tasks of the user's own role (unprocessed deals for a manager, decisions for a director)."""
    def nobodys(branch):
        return (Deal.responsible_id.is_(None), _responsibles(branch)) if who.takes_deals \
            else (TaskClaim.task_id.is_(None),)
    return lambda branch: [[_UNASSIGNED, ReadyTask.lane == who.role, *nobodys(branch), _not_idle(idle, branch)]]


def _due_activities(who, idle, before=None):
    # The deal's status is looked up per due activity (a primary-key probe each) rather than joined: with a
    # join PostgreSQL misjudges how many are due and hashes every deal (a whole-table scan on each page's
    # header count); SQLite, too, reads less this way.
    status = select(Deal.status).where(Deal.id == Activity.deal_id).scalar_subquery()
    return select(Activity).where(activities.due_for(who, before), status.not_in(written_in(idle)))


PER_PAGE = 50  # task lists come by pages: «Мои задачи» (its tasks and its activities apart), group tasks, the API


def _page(where, page, per_page):
    """(one page of the task rows matching ``where``, whether more follow)."""
    items = _items(where, per_page + 1, (page - 1) * per_page)
    return items[:per_page], len(items) > per_page


def my_tasks(user, page=1, per_page=PER_PAGE):
    """One page of the ready tasks the user owns (the API's ``scope=mine``), and whether more follow."""
    return _page(_mine(_Who.of(user), _idle()), page, per_page)


@dataclass
class Agenda:
    """«Мои задачи»: what needs the user now, one page of it."""
    tasks: list        # TaskItem the user owns: decisions, deal steps, assignments
    to_take: list      # TaskItem of the user's role nobody took yet: unprocessed deals, decisions
    activities: list   # the user's activities due today or overdue, soonest first
    task_total: int = 0      # tasks and tasks to take on every page
    activity_total: int = 0  # activities on every page
    page: int = 1
    activities_page: int = 1
    per_page: int = PER_PAGE

    @property
    def count(self):
        """What this page lists."""
        return len(self.tasks) + len(self.to_take) + len(self.activities)

    @property
    def task_pages(self):
        return page_count(self.task_total, self.per_page)

    @property
    def activity_pages(self):
        return page_count(self.activity_total, self.per_page)


def agenda(user, page=1, activities_page=1, per_page=PER_PAGE):
    """One page of «Мои задачи»: tasks (the user's, then those to take) and due activities page apart."""
    idle, who = _idle(), _Who.of(user)
    mine, to_take, due = _totals(user, idle)
    offset = (page - 1) * per_page  # into the user's tasks, then into those to take
    own = _rows(_mine(who, idle), per_page if offset < mine else 0, offset)
    taking = _rows(_to_take(who, idle), per_page - len(own), max(0, offset - mine))
    items = _built(own + taking)  # one lookup of their diagrams' labels
    tasks, taking = items[:len(own)], items[len(own):]
    # The page's ids first (the owner's open activities in due order, from their index, stopping at the page's
    # end), then those rows with their deals: joined before the cut, PostgreSQL hashed every deal (33 ms).
    page_ids = (_due_activities(who, idle).with_only_columns(Activity.id, maintain_column_froms=True)
                .order_by(*activities.OPEN_ORDER)
                .limit(per_page).offset((activities_page - 1) * per_page))
    activities_due = db.session.scalars(
        select(Activity).where(Activity.id.in_(page_ids.scalar_subquery())).options(joinedload(Activity.deal))
        .order_by(Activity.due_at, Activity.id)).all()
    return Agenda(tasks, taking, activities_due, mine + to_take, due, page, activities_page, per_page)


def group_tasks(user, page=1, per_page=PER_PAGE):
    """One page of the tasks of the user's role nobody owns, and whether more follow."""
    lanes = None if user.role == "admin" else [user.role]
    conditions = [_UNASSIGNED, or_(
        and_(ReadyTask.lane == OWNER_LANE, Deal.responsible_id.is_(None)),
        and_(ReadyTask.lane != OWNER_LANE, TaskClaim.task_id.is_(None)))]
    if lanes is not None:
        conditions.append(ReadyTask.lane.in_(lanes))
    return _page(lambda branch: [conditions], page, per_page)


def count_my_tasks(user, cap=None):
    """The header's number: as many as «Мои задачи» lists (``agenda``) on all its pages, in one COUNT query.

    With ``cap``, each part counts no more than ``cap`` rows and the answer is at most ``cap``: what a badge
    shows as «99+» costs the same with a hundred tasks as with ten thousand.
    """
    total = sum(_totals(user, _idle(), cap))
    return total if cap is None else min(total, cap)


def _totals(user, idle, cap=None):
    """(the user's tasks, tasks to take, due activities) in one statement (``_counts``), built once per kind of
    role, diagram and cap and run with the user's values: building it costs more than running it."""
    key = (user.role == OWNER_LANE, tuple(idle), cap)
    statement = _COUNT_STATEMENTS.get(key)
    if statement is None:
        who = _Who(bindparam("user_id"), bindparam("user_key"), bindparam("user_role"), key[0])
        statement = _COUNT_STATEMENTS[key] = select(*_counts(who, idle, cap, before=bindparam("due_before")))
    values = {"user_id": user.id, "user_key": str(user.id), "user_role": user.role,
              "due_before": activities.end_of_today()}
    with generic_plan(db.session):  # planning its nine parts took longer than running them: planned once
        return tuple(db.session.execute(statement, values).one())


_COUNT_STATEMENTS = {}


def _counts(who, idle, cap=None, before=None):
    """(the user's tasks, tasks to take, due activities) as scalar subqueries: a COUNT per part of the lists
    (of at most ``cap`` rows each, when given)."""
    def count(rows):
        return select(func.count()).select_from(rows.limit(cap).subquery()).scalar_subquery()

    def counted(where):
        counts = [count(_joined(select(ReadyTask.id), branch, assignment=False)
                        .outerjoin(TaskClaim, TaskClaim.task_id == ReadyTask.task_id).where(*part))
                  for branch in BRANCHES for part in where(branch)]
        return sum(counts[1:], counts[0])
    due = count(_due_activities(who, idle, before).with_only_columns(Activity.id, maintain_column_froms=True))
    return counted(_mine(who, idle)), counted(_to_take(who, idle)), due


def get_task(task_id):
    items = items_where(ReadyTask.task_id == str(task_id))
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
