"""Create, read and edit deals; numbers are assigned safely under concurrency."""
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from engine.db import db
from processes import contacts, fields
from processes.access import require_role
from processes.deal_record import DEAL
from processes.errors import Conflict, NotFound, ValidationError, conflict_if_stale
from processes.models import DEAL_ROLES, Counter, Deal
from processes.records import moves
from processes.records import history as record_history


def next_number():
    """Take the next deal number: an atomic UPDATE … RETURNING on a counter row.

    The row stays locked until the caller's transaction ends, so two
    concurrent creations never get the same number (on PostgreSQL and SQLite).
    """
    number = _bump()
    if number is None:
        start = (db.session.scalar(select(db.func.max(Deal.number))) or 0) + 1
        try:
            with db.session.begin_nested():
                db.session.add(Counter(name="deal", value=start))
            return start
        except IntegrityError:
            number = _bump()  # a concurrent first creation made the row: take the next value
    return number


def _bump():
    return db.session.execute(
        update(Counter).where(Counter.name == "deal").values(value=Counter.value + 1).returning(Counter.value)
    ).scalar()


def take_numbers(count):
    """Take ``count`` consecutive deal numbers with one UPDATE … RETURNING (locked until the transaction ends)."""
    if count <= 0:
        return []
    last = db.session.execute(
        update(Counter).where(Counter.name == "deal").values(value=Counter.value + count).returning(Counter.value)
    ).scalar()
    if last is None:  # no counter yet: the first number makes it, the rest follow it
        first = next_number()
        return [first] + take_numbers(count - 1)
    return list(range(last - count + 1, last + 1))


def new_deal_values(data, user):
    """A new deal's checked field values (ValidationError when they are not right)."""
    if user is not None:
        require_role(user, *DEAL_ROLES)
    values = contacts.fill_from_primary(fields.clean(data))
    if values.get("responsible_id") is None and user is not None and user.role == "manager" \
            and "responsible_id" not in data:
        values["responsible_id"] = user.id
    if values.get("created_at") is None:
        values.pop("created_at", None)
    if not values.get("name"):
        values["name"] = values.get("company")
    return values


def create_deal(data, user, status=None):
    """Validate fields, number the deal and start its workflow in ``status`` (else the first status the
    plain start leads to)."""
    values = new_deal_values(data, user)
    return moves.create(DEAL, user, {"number": next_number(), **values}, status)


@dataclass(frozen=True)
class NewDeal:
    """A deal made by ``create_deals``: what its maker needs (nothing is loaded into the session)."""

    id: int
    number: int


def create_deals(values, message, payloads):
    """Deals from checked values (``new_deal_values``), each started through the ``message`` start event with
    its payload (the mail intake): numbered with one statement, written with one INSERT per table."""
    numbers = take_numbers(len(values))
    ids = moves.create_many(DEAL, [{"number": number, **row} for number, row in zip(numbers, values)], payloads,
                            message)
    return [NewDeal(deal_id, number) for deal_id, number in zip(ids, numbers)]


_BY_NUMBER = select(Deal).where(Deal.number == bindparam("number")).options(joinedload(Deal.workflow))


def get_deal(number):
    number_id = fields.lookup_id(number)
    deal = db.session.scalar(_BY_NUMBER, {"number": number_id}) if number_id is not None else None
    if deal is None:
        raise NotFound(f"no deal {number}")
    return deal


def update_deal(deal, data, user, expected_version=None):
    """Edit a deal's fields (not its status); a stale version is a Conflict."""
    from processes.access import require_can_edit
    require_can_edit(user, deal)
    if not fields.same_version(expected_version, deal.version):
        raise Conflict(f"deal {deal.number} was changed by someone else (version {deal.version})")
    values = contacts.fill_from_primary(fields.clean(data, partial=True), deal)
    if not values.get("name", deal.name) and not values.get("company", deal.company):
        raise ValidationError({"company": "give a company or a name"})  # as on create: a deal needs one
    for name, value in values.items():
        if name == "created_at" and value is None:
            continue
        setattr(deal, name, value)
    with conflict_if_stale(f"deal {deal.number}"):
        db.session.flush()
    # Ids were set, not objects: reload the related rows so readers see the new ones.
    db.session.expire(deal, ["responsible", "counterparty", "source", "contact"])
    return deal


def history(deal):
    return record_history.entries(DEAL, deal)
