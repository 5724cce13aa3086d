"""What a deal card shows: fields, stage, history and the moves this user may make."""
from dataclasses import dataclass

from processes import activities, deals, failures, statuses
from processes.access import allows, require_can_act, require_can_edit


SYSTEM_NOTES = ("migrated", "error")


@dataclass
class StageStep:
    name: str
    percent: int | None
    state: str  # done, current, todo (percent stages) or current/idle (the others)


@dataclass
class DealCard:
    deal: object
    model: statuses.StatusModel
    status: statuses.Status
    history: list
    moves: list          # Status objects this user may move the deal to
    can_edit: bool
    stages: list         # StageStep, percent stages first, then the rest (Отказ/Пауза)
    failure: tuple = None  # (node name, reason) while the deal's process is stuck in an error
    next_steps: list = ()  # the deal's open activities, soonest first
    reasons: frozenset = frozenset()  # codes of the moves that need a reason (the status's or a flow's commentRequired)

    @property
    def no_next_step(self):
        """An open deal (someone has to act on it) with no activity planned: «нет следующего шага»."""
        return self.status.actionable and not self.next_steps

    @property
    def can_move(self):
        return bool(self.moves)

    @property
    def last_note(self):
        """The newest comment a person left (a migration's or a failure's note is the system's, not theirs)."""
        return next((entry for entry in reversed(self.history)
                     if entry.comment and entry.user_id and entry.kind not in SYSTEM_NOTES), None)


def stage_steps(model, status):
    """The stages widget: where a deal in ``status`` stands on the way to the win."""
    current = next((s for s in model.stages if status.code in s.statuses), None)
    steps, reached = [], current is not None and current.percent is not None
    for stage in model.stages:
        if stage is current:
            state = "current"
        elif stage.percent is not None and reached and stage.percent < current.percent:
            state = "done"
        else:
            state = "todo" if stage.percent is not None else "idle"
        steps.append(StageStep(stage.label, stage.percent, state))
    return steps


def moves_for(user, deal, model):
    """The statuses the diagram allows from the deal's status, if the user may act on it."""
    status = model.get(deal.status)
    if not allows(require_can_act, user, deal, status.lane):
        return []
    return [model.get(code) for code in model.allowed(status.code)]


def allowed_moves(user, deal):
    """The status codes ``user`` may move the deal to, from the version the deal runs on (none while it is stuck)."""
    model = statuses.model_of(deal)
    if deal.status not in model.by_code or failures.failure_of(deal):
        return []
    return [status.code for status in moves_for(user, deal, model)]


def load_card(number, user):
    """The card of deal ``number`` as ``user`` sees it."""
    deal = deals.get_deal(number)
    model = statuses.model_of(deal)  # the version the deal runs on: its moves and stages
    status = model.by_code.get(deal.status) or model.get(deal.status)
    failure = failures.failure_of(deal)
    moves = [] if failure else moves_for(user, deal, model)
    return DealCard(deal, model, status, deals.history(deal), moves, allows(require_can_edit, user, deal),
                    stage_steps(model, status), failure, activities.open_of_deal(deal),
                    frozenset(s.code for s in moves if model.needs_comment(status.code, s.code)))
