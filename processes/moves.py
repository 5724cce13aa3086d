"""The one place a deal changes status: kanban drags, «Изменить статус», the
director's decision, the CLI and the API all come through ``move_deal``."""
from processes import reasons
from processes.deal_record import DEAL
from processes.errors import Conflict, ValidationError, conflict_if_stale
from processes.records import following, history, moves


def move_deal(deal, target, user, comment="", expected_version=None, reason_id=None):
    """Move a deal to ``target`` if the diagram, the user's role and the version allow (records.moves.move).

    A refusal may name a reason of «Причины отказа» (``reason_id``): it leads the comment and stays on
    the history entry. A script failing on the way raises ProcessFailed after recording the deal as stuck.
    """
    reason = reasons.for_move(target, reason_id)
    if reason is not None:
        comment = reasons.with_reason(reason, comment)
    moved = moves.move(DEAL, deal, target, user, comment, expected_version)
    if reason is not None:
        reasons.mark(moved, reason)
    return moved


def after_timers(instance, passed):
    """A timer of the deal's diagram (say a boundary timer on a status) moved the deal: the deal follows.

    Called by the worker after it fired the instance's due timers; the status
    and history are written as for a move, by nobody, of kind ``timer``.
    """
    following.after_timers(DEAL, instance, passed)


def claim_deal(deal, user):
    """A manager takes an unowned deal: they become its responsible."""
    if user.role not in ("manager", "admin"):
        raise ValidationError({"": "only a manager claims a deal"})
    if deal.responsible_id not in (None, user.id):
        raise Conflict(f"deal {deal.number} is already taken by {deal.responsible.display_name}")
    deal.responsible = user
    with conflict_if_stale(f"deal {deal.number}"):
        history.note(DEAL, deal, user, "claim", deal.status, deal.status)
    return deal
