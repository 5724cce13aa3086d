"""Create, read and edit deals; numbers are assigned safely under concurrency."""
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from engine.db import db
from engine.models import utcnow
from processes import fields, statuses, workflow
from processes.access import require_role
from processes.errors import Conflict, NotFound, ValidationError
from processes.models import Counter, Deal, DealHistory


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


def create_deal(data, user, status=None, message=None, payload=None):
    """Validate fields, number the deal and start its workflow.

    ``message`` starts it through that message start event with ``payload``
    (mail intake); otherwise it starts in ``status`` or the first status the
    plain start leads to.
    """
    if user is not None:
        require_role(user, "manager", "director", "admin")
    values = fields.clean(data)
    if values.get("responsible_id") is None and user is not None and user.role == "manager" \
            and "responsible_id" not in data:
        values["responsible_id"] = user.id
    if values.get("created_at") is None:
        values.pop("created_at", None)
    definition = statuses.current_definition()
    model = statuses.model_for(definition)
    if message is None:
        status = status or _first_status(model)
        if status not in model.start_moves:
            raise ValidationError({"status": f"a deal cannot start in '{status}' "
                                             f"(one of: {', '.join(model.start_moves)})"})
    instance, reached = workflow.start(definition, model, status, payload, message)
    deal = Deal(number=next_number(), workflow_id=instance.id, status=reached,
                stage=model.get(reached).stage, **values)
    if not deal.name:
        deal.name = deal.company
    db.session.add(deal)
    db.session.flush()
    db.session.add(DealHistory(deal_id=deal.id, user_id=user.id if user else None, kind="created",
                               to_status=reached, comment=""))
    db.session.flush()
    return deal


def _first_status(model):
    starts = [model.by_code[c] for c in model.start_moves if c in model.by_code]
    if not starts:
        raise NotFound("the deal diagram's plain start leads to no status")
    return min(starts, key=lambda s: s.order).code


# The statements of every move, built once: SQLAlchemy then reuses their cache keys and compiled SQL.
_BY_NUMBER = select(Deal).where(Deal.number == bindparam("number")).options(joinedload(Deal.workflow))
_DEALS = Deal.__table__
_SET_STATUS = update(_DEALS).where(_DEALS.c.id == bindparam("deal_id"), _DEALS.c.version == bindparam("read_version")) \
    .values(status=bindparam("status"), stage=bindparam("stage"), status_changed_at=bindparam("at"),
            version=bindparam("new_version"), responsible_id=func.coalesce(_DEALS.c.responsible_id,
                                                                     bindparam("taker", type_=_DEALS.c.responsible_id.type)))
_ADD_HISTORY = insert(DealHistory.__table__)


def get_deal(number):
    number_id = fields.lookup_id(number)
    deal = db.session.scalar(_BY_NUMBER, {"number": number_id}) if number_id is not None else None
    if deal is None:
        raise NotFound(f"no deal {number}")
    return deal


def deal_of_workflow(instance_id):
    """The deal a workflow instance runs, or None (the instance is another process's)."""
    return db.session.scalars(select(Deal).where(Deal.workflow_id == instance_id)).first()


def update_deal(deal, data, user, expected_version=None):
    """Edit a deal's fields (not its status); a stale version is a Conflict."""
    from processes.access import require_can_edit
    require_can_edit(user, deal)
    if not fields.same_version(expected_version, deal.version):
        raise Conflict(f"deal {deal.number} was changed by someone else (version {deal.version})")
    values = fields.clean(data, partial=True)
    if not values.get("name", deal.name) and not values.get("company", deal.company):
        raise ValidationError({"company": "give a company or a name"})  # as on create: a deal needs one
    for name, value in values.items():
        if name == "created_at" and value is None:
            continue
        setattr(deal, name, value)
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(f"deal {deal.number} was changed by someone else") from None
    # Ids were set, not objects: reload the related rows so readers see the new ones.
    db.session.expire(deal, ["responsible", "counterparty", "source"])
    return deal


def history(deal):
    return db.session.scalars(
        select(DealHistory).where(DealHistory.deal_id == deal.id).order_by(DealHistory.id)).all()


def record_status(deal, status, stage, user, kind, from_status, comment=""):
    """Write a deal's new status and its history entry: one version-checked UPDATE, one INSERT.

    Core statements rather than an ORM flush: this is the hot path of every
    move. No row matched means the deal changed since it was read: Conflict.
    """
    values = {"status": status, "stage": stage, "status_changed_at": utcnow(), "version": deal.version + 1}
    taker = user.id if deal.responsible_id is None and user is not None and user.role == "manager" else None
    result = db.session.execute(_SET_STATUS, {
        "deal_id": deal.id, "read_version": deal.version, "status": status, "stage": stage,
        "at": values["status_changed_at"], "new_version": values["version"], "taker": taker})
    if result.rowcount != 1:
        raise Conflict(f"deal {deal.number} was changed by someone else")
    for name, value in values.items():
        set_committed_value(deal, name, value)
    if taker is not None:  # moving an unowned deal takes it
        set_committed_value(deal, "responsible_id", taker)
        set_committed_value(deal, "responsible", user)
    db.session.execute(_ADD_HISTORY, {
        "deal_id": deal.id, "at": values["status_changed_at"], "user_id": user.id if user else None, "kind": kind,
        "from_status": from_status, "to_status": status, "comment": comment or ""})
