"""Rotting deals: a deal left idle in a status longer than the status's ``rotDays`` (a diagram property).

Idle means no activity since ``last_touch``, the one definition of a deal's
last activity, which every reader uses: the journal's «зависшие» filter, the
marks on the card and the kanban cards, and the managers' morning digest.
Everything is answered in SQL: a page of deals costs one more query whatever
its size, and the filter is one condition (the status's cheap
``status_changed_at`` bound first, the last touch after it).
"""
from dataclasses import dataclass
from functools import cache, lru_cache
from datetime import timedelta

from sqlalchemy import bindparam, case, false, null, or_, select, text

from engine import clock
from engine.db import db
from processes import fields, outbox, statuses
from processes.mail_models import OutboxMail
from processes.timeline import latest_known
from processes.models import Deal, User

DIGEST_LIMIT = 50  # deals listed in one letter; the count says how many more there are


def last_touch():
    """SQL: when the deal was last worked on — the latest of when it entered its status and of its history entries
    (moves, decisions, claims), notes and activity events (planned, done, rescheduled).

    The one place that reads what counts as activity. The latest time of those three tables is the deal's own
    ``touched_at``, kept by the database's triggers in the same transaction as the row (migration 0024, its
    ``TOUCHES``): a page's rows read it with the deal, not three probes each.
    """
    return latest_known(Deal.status_changed_at, Deal.touched_at)


@cache
def _touched_of():
    """SELECT (deal id, its last touch) of the deals whose ids are bound as ``ids``."""
    return select(Deal.id, last_touch()).where(Deal.id.in_(bindparam("ids", expanding=True)))


def condition(model=None, now=None):
    """SQL: the deal is rotting (idle longer than its status's ``rotDays``); false when no status has one."""
    model = model or statuses.current_model()
    now = now or clock.now()
    parts = []
    for status in model.statuses:
        if status.rot_days and not status.final and not status.archive:
            cutoff = now - timedelta(days=status.rot_days)
            parts.append((Deal.status == status.code) & (Deal.status_changed_at < cutoff) & (last_touch() < cutoff))
    return or_(*parts) if parts else false()


def watched_touch(model=None):
    """SQL: a deal's last touch (``last_touch``) when its status has ``rotDays``, else NULL — a column a page's
    select can carry, read only for the statuses ``idle_days`` looks at."""
    return _watched_touch(model or statuses.current_model())


@lru_cache(maxsize=64)
def _watched_touch(model):
    """``watched_touch`` built once per deployed version's model (every page of deals carries it)."""
    codes = [s.code for s in model.statuses if _rot_days(model, s.code)]
    return case((Deal.status.in_(codes), last_touch()), else_=null()) if codes else null()


def idle_days(deals, model=None, now=None, touched=None):
    """{deal id: whole days idle} for the rotting ones among ``deals`` (a page): one query, none when no
    status of theirs has ``rotDays`` or when ``touched`` ({deal id: its last touch}, from ``watched_touch``)
    came with them."""
    model = model or statuses.current_model()
    limits = {}  # {status: its rotDays as a timedelta, or None}: a page's deals share a few statuses
    for deal in deals:
        if deal.status not in limits:
            days = _rot_days(model, deal.status)
            limits[deal.status] = timedelta(days=days) if days else None
    watched = [d for d in deals if limits[d.status] is not None]
    if not watched:
        return {}
    now = now or clock.now()
    if touched is None:
        touched = dict(db.session.execute(_touched_of(), {"ids": [d.id for d in watched]}).all())
    result = {}
    for deal in watched:
        at = touched.get(deal.id) or deal.status_changed_at
        if at and now - at > limits[deal.status]:
            result[deal.id] = (now - at).days
    return result


def _rot_days(model, code):
    status = model.by_code.get(code)
    return status.rot_days if status is not None and not status.final and not status.archive else None


@dataclass
class Digest:
    user: object
    deals: list   # (deal, days idle), the longest idle first, at most DIGEST_LIMIT
    total: int


def digests(model=None, now=None):
    """Each active manager's rotting deals (managers with none are left out), in one query."""
    model = model or statuses.current_model()
    now = now or clock.now()
    rows = db.session.execute(
        select(Deal, last_touch().label("touched")).join(User, User.id == Deal.responsible_id)
        .where(User.active, User.role == "manager", condition(model, now))
        .order_by(Deal.responsible_id, last_touch(), Deal.number)).all()
    found = {}
    for deal, touched in rows:
        digest = found.setdefault(deal.responsible_id, Digest(deal.responsible, [], 0))
        digest.total += 1
        if len(digest.deals) < DIGEST_LIMIT:
            digest.deals.append((deal, (now - touched).days))
    return list(found.values())


def queue_digests(model=None, now=None, hour=8):
    """Queue today's digest letter of each manager with rotting deals, once a day, from ``hour`` local time.

    A letter is one outbox row whose topic names the manager and the local
    day, so a second pass (or a second worker: a transaction lock on
    PostgreSQL) finds it and queues nothing. Returns the rows queued.
    """
    now = now or clock.now()
    local = fields.to_local(now)
    if local.hour < hour:
        return []
    model = model or statuses.current_model()
    if db.engine.dialect.name == "postgresql":
        from processes.locks import lock_id
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_id("rotting-digest")})
    day = local.date().isoformat()
    sent = set(db.session.scalars(select(OutboxMail.topic).where(
        OutboxMail.topic.like(f"rotting:%:{day}"))).all())
    queued = []
    for digest in digests(model, now):
        topic = f"rotting:{digest.user.id}:{day}"
        if topic in sent:
            continue
        queued += outbox.enqueue([digest.user], topic, _subject(digest), _body(digest, model))
    return queued


def _subject(digest):
    return f"Зависшие сделки: {digest.total}"


def _body(digest, model):
    lines = [f"{digest.user.display_name}, эти сделки давно без движения:", ""]
    for deal, days in digest.deals:
        lines.append(f"№ {deal.number} · {deal.name} · {statuses.label_of(deal.status, model)} · {days} дн.")
    if digest.total > len(digest.deals):
        lines += ["", f"…и ещё {digest.total - len(digest.deals)}: фильтр «зависшие» в журнале сделок."]
    return "\n".join(lines) + "\n"
