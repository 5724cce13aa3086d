"""Activities: a manager's own next step on a deal (a call, a meeting, a letter, a task), done or rescheduled.

Plain rows, not a workflow (docs/architecture.md says why): an activity is
open until done; rows and events are stamped with the real time (as the deal's
history), due times compare with the engine clock. The worker reminds its owner
once when it falls due (``next_due_reminder`` + ``remind``: an atomic claim on
``reminded_at``, so two workers never remind twice). A deal's open activities are its next steps; an
open deal without one has «no next step» (``soonest_due``).
"""
from datetime import datetime, time, timedelta

from sqlalchemy import and_, func, select, update

from engine import clock
from engine.clock import utcnow
from engine.db import db
from processes import fields, outbox, users
from processes.access import require_can_see, require_role
from processes.activity_models import ACTIVITY_KINDS, Activity, ActivityEvent
from processes.errors import Conflict, Forbidden, NotFound, ValidationError, conflict_if_stale
from processes.models import DEAL_ROLES

MAX_SUMMARY = 500
KINDS = ACTIVITY_KINDS
LIST_LIMIT = 500


def _owner(value, deal, user):
    if value in (None, ""):
        return deal.responsible or user  # an unowned deal: whoever plans the step
    found = users.find_active(value, DEAL_ROLES)
    if found is None:
        raise ValueError(f"no active manager, director or admin {str(value).strip()}")
    return found


def _due(value):
    if value in (None, ""):
        raise ValueError("required")
    return fields.parse_datetime(value)


def _values(data, deal, user):
    data, values, errors = data or {}, {}, {}
    kind = str(data.get("kind") or "")
    if kind not in ACTIVITY_KINDS:
        errors["kind"] = f"one of: {', '.join(ACTIVITY_KINDS)}"
    values["kind"] = kind
    summary = str(data.get("summary") or "").strip()
    if not summary:
        errors["summary"] = "required"
    elif len(summary) > MAX_SUMMARY or fields.NUL in summary:
        errors["summary"] = fields.NO_NUL if fields.NUL in summary else f"at most {MAX_SUMMARY} characters"
    values["summary"] = summary
    for name, parse in (("due_at", _due), ("owner", lambda v: _owner(v, deal, user))):
        try:
            values[name] = parse(data.get(name))
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationError(errors)
    return values


def _event(activity, user, kind, comment="", due_at=None):
    db.session.add(ActivityEvent(activity_id=activity.id, deal_id=activity.deal_id, at=utcnow(),
                                 user_id=user.id if user else None, kind=kind, due_at=due_at,
                                 comment=comment or ""))


def plan(deal, user, data):
    """Plan an activity on a deal (owner: the deal's responsible unless named; none: ``user``). Flushed."""
    require_role(user, *DEAL_ROLES)
    require_can_see(user, deal)
    values = _values(data, deal, user)
    activity = Activity(deal_id=deal.id, kind=values["kind"], summary=values["summary"], due_at=values["due_at"],
                        owner=values["owner"], created_by_id=user.id, outcome="")
    db.session.add(activity)
    db.session.flush()
    _event(activity, user, "created", activity.summary, activity.due_at)
    db.session.flush()
    return activity


def get_activity(activity_id):
    row_id = fields.lookup_id(activity_id)
    activity = None if row_id is None else db.session.get(Activity, row_id)
    if activity is None:
        raise NotFound(f"no activity {activity_id}")
    return activity


def require_can_close(user, activity):
    """Finish or reschedule an activity: its owner, the deal's responsible, a director or an admin."""
    require_role(user, *DEAL_ROLES)
    if user.role in ("director", "admin") or user.id in (activity.owner_id, activity.deal.responsible_id):
        return
    raise Forbidden("only the activity's owner, the deal's responsible or a director finishes it")


def _require_open(activity, expected_version):
    if activity.done_at is not None:
        raise ValidationError({"activity": "the activity is done already"})
    if not fields.same_version(expected_version, activity.version):
        raise Conflict(f"activity {activity.id} was changed by someone else (version {activity.version})")


def done(activity, user, outcome="", expected_version=None):
    """Mark an activity done with an outcome note. Flushed."""
    require_can_close(user, activity)
    _require_open(activity, expected_version)
    outcome = str(outcome or "").strip()
    if fields.NUL in outcome:
        raise ValidationError({"outcome": fields.NO_NUL})
    activity.done_at, activity.outcome = utcnow(), outcome
    with conflict_if_stale(f"activity {activity.id}"):
        db.session.flush()
    _event(activity, user, "done", outcome)
    db.session.flush()
    return activity


def reschedule(activity, user, due_at, comment="", expected_version=None):
    """Move an open activity to another time; it will be reminded again when that comes. Flushed."""
    require_can_close(user, activity)
    _require_open(activity, expected_version)
    try:
        due = _due(due_at)
    except ValueError as exc:
        raise ValidationError({"due_at": str(exc)}) from None
    if fields.NUL in str(comment or ""):
        raise ValidationError({"comment": fields.NO_NUL})
    activity.due_at, activity.reminded_at = due, None
    with conflict_if_stale(f"activity {activity.id}"):
        db.session.flush()
    _event(activity, user, "rescheduled", str(comment or "").strip(), due)
    db.session.flush()
    return activity


def open_of_deal(deal):
    """A deal's open activities, soonest first."""
    return db.session.scalars(select(Activity).where(Activity.deal_id == deal.id, Activity.done_at.is_(None))
                              .order_by(Activity.due_at, Activity.id)).all()


def soonest_due(deal_id):
    """SQL: a deal's soonest open activity's due time (NULL without one), as a column of a bigger select (the
    board's card rows: a page's marks)."""
    return (select(func.min(Activity.due_at)).where(Activity.deal_id == deal_id, Activity.done_at.is_(None))
            .scalar_subquery())


def end_of_today():
    """The end of the current local day as naive UTC: activities due before it are due today."""
    local = fields.to_local(clock.now())
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=local.tzinfo)
    return fields.parse_datetime(tomorrow)


def due_for(user, before=None):
    """The condition of ``user``'s open activities due today or overdue («Мои задачи»); ``before``: the end
    of today, when the caller gives it (a statement built once takes it as a parameter)."""
    return and_(Activity.owner_id == user.id, Activity.done_at.is_(None),
                Activity.due_at < (end_of_today() if before is None else before))


# Open activities soonest first, in an owner's open-activities index's own order (``ix_activities_owner_open``), so a
# page of them stops after its rows: ``done_at`` (NULL in every open one) leads, as PostgreSQL does not take
# ``IS NULL`` for a fixed value and would otherwise sort all of the owner's open activities for one page.
OPEN_ORDER = (Activity.done_at, Activity.due_at, Activity.id)


def listing(user, mine=False, overdue=False, deal=None, limit=LIST_LIMIT):
    """Open activities (of ``user`` with ``mine``; overdue only with ``overdue``), soonest first."""
    query = select(Activity).where(Activity.done_at.is_(None))
    if mine:
        query = query.where(Activity.owner_id == user.id)
    if overdue:
        query = query.where(Activity.due_at < clock.now())
    if deal is not None:
        query = query.where(Activity.deal_id == deal.id)
    return db.session.scalars(query.order_by(*OPEN_ORDER).limit(limit)).all()


def next_due_reminder(exclude=()):
    """One open, due activity not reminded yet that no other worker holds (SKIP LOCKED on PostgreSQL); or None."""
    query = (select(Activity).where(Activity.done_at.is_(None), Activity.reminded_at.is_(None),
                                    Activity.due_at <= clock.now())
             .order_by(Activity.due_at, Activity.id).limit(1))
    if exclude:
        query = query.where(Activity.id.not_in(list(exclude)))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Activity)
    return db.session.scalars(query).first()


def remind(activity):
    """Claim the activity's reminder (one UPDATE … WHERE reminded_at IS NULL) and queue the letter; False when
    another worker had it already. The claim and the letter commit together."""
    claimed = db.session.execute(
        update(Activity).where(Activity.id == activity.id, Activity.reminded_at.is_(None),
                               Activity.done_at.is_(None))
        .values(reminded_at=clock.now()).returning(Activity.id)).first()
    if claimed is None:
        return False
    deal = activity.deal
    outbox.enqueue([activity.owner], f"activity:{activity.id}:due",
                   f"Пора: {activity.summary} (№ {deal.number} {deal.name})",
                   f"№ {deal.number} · {deal.name}\n{deal.company}\n\n{activity.summary}\n"
                   f"Срок: {fields.to_local(activity.due_at):%d.%m.%Y %H:%M}\n")
    return True


def activity_dict(activity, now=None):
    now = now or clock.now()
    return {"id": activity.id, "kind": activity.kind, "summary": activity.summary,
            "due_at": fields.utc_text(activity.due_at), "owner": activity.owner.username,
            "deal": {"number": activity.deal.number, "name": activity.deal.name},
            "done": activity.done_at is not None, "done_at": fields.utc_text(activity.done_at),
            "outcome": activity.outcome, "overdue": activity.done_at is None and activity.due_at < now,
            "created_at": fields.utc_text(activity.created_at), "version": activity.version}
