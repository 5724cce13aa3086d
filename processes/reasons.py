"""«Причины отказа»: the reasons offered when a deal is refused, kept by admins like the sources.

A refusal may name one (the dialogs offer the active ones, a free comment beside): the history entry
keeps it (``deal_history.reason_id``) and its name leads the comment, so the deal's history reads as
before; processes.analytics counts the refusals of a period by reason.
"""
from sqlalchemy import select, update

from engine.db import db
from processes import directories
from processes.access import require_role
from processes.analytics.catalogue import REFUSED
from processes.errors import NotFound, ValidationError
from processes.fields import parse_id
from processes.models import DealHistory, RefusalReason

DEFAULT_REASONS = ("Высокая цена", "Выбрали конкурента", "Нет бюджета", "Пропала потребность", "Не выходит на связь")


def ensure_default_reasons():
    """Add the default reasons when the directory is empty (a fresh install; idempotent)."""
    if db.session.scalar(select(RefusalReason.id).limit(1)) is None:
        db.session.add_all(RefusalReason(name=name) for name in DEFAULT_REASONS)
        db.session.flush()


def list_reasons(include_inactive=False):
    return directories.listed(RefusalReason, include_inactive)


def _name(name, reason_id=None):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "required"})
    if len(name) > 200:
        raise ValidationError({"name": "at most 200 characters"})
    if db.session.scalar(select(RefusalReason.id).where(RefusalReason.name == name,
                                                        RefusalReason.id != (reason_id or 0))):
        raise ValidationError({"name": "a reason with this name exists"})
    return name


def create_reason(name, actor):
    require_role(actor, "admin")
    row = RefusalReason(name=_name(name))
    db.session.add(row)
    db.session.flush()
    return row


def update_reason(reason_id, name, active, actor):
    require_role(actor, "admin")
    row = db.session.get(RefusalReason, reason_id)
    if row is None:
        raise NotFound(f"no refusal reason #{reason_id}")
    row.name = _name(name, reason_id)
    row.active = bool(active)
    db.session.flush()
    return row


def for_move(target, reason_id):
    """The reason a move names (None when it names none); a ValidationError unless it is an active one of a refusal."""
    if reason_id in (None, ""):
        return None
    try:
        row = db.session.get(RefusalReason, parse_id(reason_id))
    except ValueError as exc:
        raise ValidationError({"reason_id": str(exc)}) from None
    if row is None or not row.active:
        raise ValidationError({"reason_id": "no such refusal reason"})
    if target != REFUSED:
        raise ValidationError({"reason_id": "a refusal reason goes with a refusal"})
    return row


def with_reason(reason, comment):
    """The comment the history keeps: the reason's name, then the free comment."""
    comment = (comment or "").strip()
    return f"{reason.name}: {comment}" if comment else reason.name


def mark(deal, reason):
    """Keep the reason on the refusal entry just written for the deal."""
    last = select(DealHistory.id).where(DealHistory.deal_id == deal.id, DealHistory.to_status == REFUSED) \
        .order_by(DealHistory.id.desc()).limit(1).scalar_subquery()
    db.session.execute(update(DealHistory).where(DealHistory.id == last).values(reason_id=reason.id))
