"""The kanban board: a column per status with its count and budget sum, cards paged lazily."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func

from engine.db import db
from engine.models import utcnow
from processes import journal, statuses
from processes.models import Deal

PAGE = 50

# The board reads "the newest cards of one status" and sums budgets per status: this
# index serves the first without a sort and the second without touching the table.
db.Index("ix_deals_status_number", Deal.status, Deal.number, Deal.budget)


@dataclass
class Column:
    status: statuses.Status
    count: int = 0
    budget: object = 0
    cards: list = field(default_factory=list)

    @property
    def has_more(self):
        return len(self.cards) < self.count


def column_totals(filters, model):
    """{status: (count, budget sum)} for deals matching filters, in one grouped query."""
    query = journal.filtered(filters, model, joins=False).with_only_columns(
        Deal.status, func.count(), func.coalesce(func.sum(Deal.budget), 0), maintain_column_froms=True)
    rows = db.session.execute(query.group_by(Deal.status)).all()
    return {status: (count, total) for status, count, total in rows}


def column_cards(filters, model, status, offset=0, limit=PAGE):
    """One page of a column's cards, newest deal first."""
    statuses_filter = filters.status
    if statuses_filter and status not in statuses_filter:
        return []
    query = journal.filtered(filters, model, joins=False).where(Deal.status == status)
    return db.session.scalars(query.order_by(Deal.number.desc()).offset(offset).limit(limit)).all()


def load_board(filters, model=None, limit=PAGE):
    """The columns of the board (from the deployed diagram) with totals and first cards."""
    model = model or statuses.current_model()
    totals = column_totals(filters, model)
    columns = []
    for status in model.board:
        count, budget = totals.get(status.code, (0, 0))
        column = Column(status, count, budget)
        if count:
            column.cards = column_cards(filters, model, status.code, 0, limit)
        columns.append(column)
    return columns


def days_in_status(deal, now=None):
    """Whole days a deal has been in its current status."""
    now = now or utcnow()
    changed = deal.status_changed_at or now
    return max(0, (now - changed).days) if isinstance(changed, datetime) else 0
