"""The kanban board: a column per status with its count and budget sum, cards paged lazily."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from engine import definitions
from engine.clock import utcnow
from engine.db import db
from engine.models import WorkflowInstance
from processes import journal, rotting, statuses
from processes.access import allows, require_can_act
from processes.models import Deal

PAGE = 50

@dataclass
class Column:
    status: statuses.Status
    count: int = 0
    budget: object = 0
    cards: list = field(default_factory=list)
    allowed: dict = field(default_factory=dict)  # {deal id: status codes the card may be dropped on}
    retired: bool = False  # the newest diagram no longer has this status; deals of older versions sit there
    idle: dict = field(default_factory=dict)  # {deal id: days idle} of the rotting cards (processes.rotting)

    @property
    def has_more(self):
        return len(self.cards) < self.count

    @property
    def weighted(self):
        """The budget weighted by the stage's percent (``40% Развитие``: 40 % of the sum); None without one."""
        percent = self.status.percent
        return None if percent is None else self.budget * percent / 100

    @property
    def over_limit(self):
        """More deals than the status's ``wipLimit`` (a soft limit: the board warns, the move is allowed)."""
        return self.status.wip_limit is not None and self.count > self.status.wip_limit


def column_totals(filters, model):
    """{status: (count, budget sum)} for deals matching filters, in one grouped query."""
    query = journal.filtered(filters, model, joins=False).with_only_columns(
        Deal.status, func.count(), func.coalesce(func.sum(Deal.budget), 0), maintain_column_froms=True)
    rows = db.session.execute(query.group_by(Deal.status)).all()
    return {status: (count, total) for status, count, total in rows}


def column_cards(filters, model, status, before=None, limit=PAGE):
    """A page of a column's cards, newest deal first: those numbered below ``before`` (keyset paging).

    Keyset rather than offset paging, so cards dragged in or out of the column
    meanwhile neither shift the next page nor make it skip or repeat a card.
    """
    statuses_filter = filters.status
    if statuses_filter and status not in statuses_filter:
        return []
    query = journal.filtered(filters, model, joins=False).where(Deal.status == status)
    if before is not None:
        query = query.where(Deal.number < before)
    return db.session.scalars(query.order_by(Deal.number.desc()).limit(limit)).all()


def load_board(filters, model=None, limit=PAGE, user=None):
    """The columns of the board (from the deployed diagram) with totals and first cards.

    With ``user``, a card offers only the drops that user may make (see ``allowed_moves``).
    """
    model = model or statuses.current_model()
    totals = column_totals(filters, model)
    columns = []
    for status in model.board:
        count, budget = totals.get(status.code, (0, 0))
        column = Column(status, count, budget)
        if count:
            column.cards = column_cards(filters, model, status.code, None, limit)
        columns.append(column)
    for code in sorted(set(totals) - set(model.by_code)):
        status = statuses.retired_status(code)
        if status is None or status.archive:
            continue
        column = Column(status, *totals[code], retired=True)
        column.cards = column_cards(filters, model, code, None, limit)
        columns.append(column)
    cards = [deal for column in columns for deal in column.cards]
    allowed = allowed_moves(cards, model, user)
    idle = rotting.idle_days(cards, model)
    for column in columns:
        column.allowed, column.idle = allowed, idle
    return columns


def allowed_moves(cards, newest=None, user=None):
    """{deal id: the statuses it may move to} by the version each deal's workflow runs on.

    The columns follow the newest diagram (``newest``, the model of a deal
    without a workflow), but a deal still on an older version moves by that
    version's flows; a deal stuck in an error moves nowhere until it is
    retried; with ``user``, a deal that user may not act on (another
    manager's, or one waiting for the director) moves nowhere either — the
    same rule ``moves.move_deal`` enforces. One query for all the cards, one
    model per version.
    """
    ids = [deal.workflow_id for deal in cards if deal.workflow_id is not None]
    rows = {} if not ids else {i: (definition_id, state) for i, definition_id, state in db.session.execute(
        select(WorkflowInstance.id, WorkflowInstance.definition_id, WorkflowInstance.status)
        .where(WorkflowInstance.id.in_(ids))).all()}
    models = {}

    def model_of(definition_id):
        if definition_id not in models:
            models[definition_id] = statuses.model_for(definitions.get(definition_id)) if definition_id \
                else newest or statuses.current_model()
        return models[definition_id]

    result = {}
    for deal in cards:
        definition_id, state = rows.get(deal.workflow_id, (None, None))
        model = model_of(definition_id)
        status = model.by_code.get(deal.status)
        if state == "error" or status is None or (user is not None and not allows(require_can_act, user, deal,
                                                                                    status.lane)):
            result[deal.id] = []
        else:
            result[deal.id] = model.allowed(deal.status)
    return result


def days_in_status(deal, now=None):
    """Whole days a deal has been in its current status."""
    now = now or utcnow()
    changed = deal.status_changed_at or now
    return max(0, (now - changed).days) if isinstance(changed, datetime) else 0
