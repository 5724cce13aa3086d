"""A counterparty's card: its deals, its people, the letters of its deals, and what was won with it."""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from engine.db import db
from processes import directories, statuses
from processes.access import require_can_see_deals
from processes.contact_models import Contact
from processes.mail_models import Letter
from processes.models import Deal

SHOWN = 200  # deals and letters listed on the card (the journal filters the rest)


@dataclass
class CounterpartyCard:
    counterparty: object
    deals: list
    deal_count: int
    contacts: list
    letters: list  # (letter, deal number)
    won_total: Decimal
    won_count: int
    model: object  # the newest status model: the deals' status labels


def won_statuses(model):
    """Statuses that end a deal in a 100 % stage: the diagram says what winning is."""
    return sorted(s.code for s in model.statuses if s.final and s.stage in
                  {stage.name for stage in model.stages if stage.percent == 100})


def load(counterparty_id, user):
    require_can_see_deals(user)
    row = directories.get_counterparty(counterparty_id)
    model = statuses.current_model()
    deals = db.session.scalars(select(Deal).options(joinedload(Deal.responsible))
                               .where(Deal.counterparty_id == row.id).order_by(Deal.number.desc()).limit(SHOWN)).all()
    count = db.session.scalar(select(func.count(Deal.id)).where(Deal.counterparty_id == row.id))
    won = db.session.execute(select(func.count(Deal.id), func.coalesce(func.sum(Deal.budget), 0))
                             .where(Deal.counterparty_id == row.id, Deal.status.in_(won_statuses(model)))).one()
    people = db.session.scalars(select(Contact).where(Contact.counterparty_id == row.id).order_by(Contact.name)).all()
    letters = db.session.execute(select(Letter, Deal.number).join(Deal, Deal.id == Letter.deal_id)
                                 .where(Deal.counterparty_id == row.id)
                                 .order_by(Letter.received_at.desc()).limit(SHOWN)).all()
    return CounterpartyCard(row, deals, count, people, letters, Decimal(won[1]).quantize(Decimal("0.01")), won[0],
                            model)
