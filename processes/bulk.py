"""Bulk actions of the journal: one action over the chosen deals, each deal through the usual rules.

A bulk action is no new rule: it calls, deal by deal, what the card calls —
``moves.move_deal`` (the diagram, the lane, the required reason, the version),
``deals.update_deal`` (who may edit, who may be responsible) — so a deal the
user could not change alone is refused here as well, with the same reason.
Each deal is its own edge: the caller commits after each one that was done
and rolls back each one refused (``run``), so one refusal never undoes the
others and the report lists both.

``ACTIONS`` maps an action's name to ``function(deal, user, params)``; the
journal offers each of them.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from engine.db import db
from processes import deals, fields, journal, moves, notes
from processes.errors import Refusal, ValidationError
from processes.models import Deal

MOST = 500  # deals one bulk action may touch; «all that match» a wider filter is refused


@dataclass
class Outcome:
    number: int
    name: str
    done: bool
    error: Refusal | None = None  # why it was refused


def change_responsible(deal, user, params):
    deals.update_deal(deal, {"responsible_id": params.get("responsible_id") or ""}, user)


def move(deal, user, params):
    target = str(params.get("status") or "")
    if not target:
        raise ValidationError({"status": "required: the status to move the deal to"})
    moves.move_deal(deal, target, user, comment=str(params.get("comment") or ""))


def add_note(deal, user, params):
    """The same note on each deal, as the card adds it (who may see the deal, @mentions mailed)."""
    notes.add_note(deal, user, str(params.get("text") or ""))


ACTIONS = {"responsible": change_responsible, "move": move, "note": add_note}


def chosen_numbers(numbers=None, filters=None):
    """The deal numbers an action is for: those ticked, or every deal matching ``filters`` (at most MOST)."""
    if filters is not None:
        query = journal.filtered(filters, joins=False)
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        if total > MOST:
            raise ValidationError({"": f"{total} deals match: narrow the filter to at most {MOST}"})
        return list(db.session.scalars(query.with_only_columns(Deal.number).order_by(Deal.number)))
    try:
        picked = sorted({fields.parse_id(n) for n in numbers or []})
    except ValueError as exc:
        raise ValidationError({"numbers": str(exc)}) from None
    if not picked:
        raise ValidationError({"numbers": "tick the deals to act on"})
    if len(picked) > MOST:
        raise ValidationError({"numbers": f"at most {MOST} deals at once"})
    return picked


def check_action(action):
    if action not in ACTIONS:
        raise ValidationError({"action": f"one of: {', '.join(ACTIONS)}"})
    return ACTIONS[action]


def run(action, numbers, user, params, commit, rollback):
    """Do ``action`` to each deal numbered in ``numbers``; ``commit``/``rollback`` end each deal's transaction.

    Returns an Outcome per deal, in order. A refusal that keeps its changes on
    purpose (a script failing on the way: the deal is recorded as stuck) is
    committed, as a single move would be.
    """
    do = check_action(action)
    outcomes = []
    for number in numbers:
        name = ""
        try:
            deal = deals.get_deal(number)
            name = deal.name
            do(deal, user, params)
        except Refusal as exc:
            (commit if getattr(exc, "keep_changes", False) else rollback)()
            outcomes.append(Outcome(number, name, False, exc))
            continue
        commit()
        outcomes.append(Outcome(number, name, True))
    return outcomes
