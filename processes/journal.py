"""The deals journal: filters, search, sort and pagination, shared by every face."""
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager

from processes import analytics, fields, rotting, statuses
from processes.errors import ValidationError
from processes.models import Counterparty, Deal, Source, User
from processes.records.listing import PER_PAGE, QueryArgs, page_bounds, page_of

MOST_PER_PAGE = 500  # the journal's export-sized pages; assignments page by at most 200
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SEARCHED = (Deal.name, Deal.company, Deal.description, Deal.contact_name, Deal.phone,
            Deal.sender_email, Deal.site_email, Deal.mail_message)
SORTABLE = {
    "number": Deal.number, "name": Deal.name, "company": Deal.company, "budget": Deal.budget,
    "created_at": Deal.created_at, "status": Deal.status, "contact_name": Deal.contact_name,
    "sender_email": Deal.sender_email, "phone": Deal.phone, "status_changed_at": Deal.status_changed_at,
    "responsible": User.display_name,
    "source": Source.name, "counterparty": Counterparty.name,
    "description": Deal.description, "expected_close": Deal.expected_close,
}

@dataclass
class Filters:
    status: list = field(default_factory=list)
    responsible: list = field(default_factory=list)   # user ids
    source: list = field(default_factory=list)        # source ids
    text: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None  # exclusive
    budget_min: object = None
    budget_max: object = None
    include_archive: bool = False
    rotting: bool = False  # «зависшие»: only deals idle longer than their status's rotDays (processes.rotting)
    sort: str = "-number"
    counted: object = None  # the deals an analytics figure counted (processes.analytics.members)
    page: int = 1
    per_page: int = 50


def parse_filters(args):
    """Filters from a mapping of query-string lists (``getlist`` style dict of lists)."""
    args = QueryArgs(args)
    errors, result = {}, Filters()
    result.status = args.many("status")
    result.text = (args.one("q") or args.one("text") or "").strip()
    for name in ("responsible", "source"):
        try:
            setattr(result, name, [fields.parse_id(v) for v in args.many(name)])
        except ValueError as exc:
            errors[name] = str(exc)
    for name in ("created_from", "created_to"):
        raw = (args.one(name) or "").strip()
        if raw:
            try:
                value = fields.parse_datetime(raw)
            except ValueError as exc:
                errors[name] = str(exc)
                continue
            if name == "created_to":
                # The upper bound is exclusive: a bare date includes that whole day (the last one: no bound).
                step = timedelta(days=1) if _DATE_ONLY.match(raw) else timedelta(microseconds=1)
                value = value + step if value < datetime.max - step else None
            setattr(result, name, value)
    for name in ("budget_min", "budget_max"):
        if args.one(name):
            try:
                setattr(result, name, fields.parse_budget(args.one(name)))
            except ValueError as exc:
                errors[name] = str(exc)
    result.include_archive = args.flag("archive")
    result.rotting = args.flag("rotting")
    if args.one("analytics"):
        result.counted, result.include_archive = _counted(args, errors), True
    sort = args.one("sort") or "-number"
    if sort.lstrip("-") not in SORTABLE:
        errors["sort"] = f"sort by one of {', '.join(SORTABLE)}"
    result.sort = sort
    numbers = args.integers((("page", 1), ("per_page", PER_PAGE)), errors)
    if errors:
        raise ValidationError(errors)
    result.page, result.per_page = page_bounds(numbers["page"], numbers["per_page"], MOST_PER_PAGE)
    return result


def _counted(args, errors):
    """The deals of an analytics cell (``analytics=figure:key`` with its scope: from, to, responsible…)."""
    try:
        return analytics.members(args.one("analytics"), analytics.read_scope(args.args))
    except ValidationError as exc:
        errors.update(exc.errors)
        return None


def filtered(filters, model=None, joins=True):
    """A select of deals (joined with their references) matching filters.

    ``joins=False`` leaves out the joins that only sorting and loading need, so an
    aggregate (the board's counts and sums) is answered from an index alone.
    """
    if joins:
        query = (select(Deal).outerjoin(User, User.id == Deal.responsible_id)
                 .outerjoin(Source, Source.id == Deal.source_id)
                 .outerjoin(Counterparty, Counterparty.id == Deal.counterparty_id)
                 .options(contains_eager(Deal.responsible), contains_eager(Deal.source),
                          contains_eager(Deal.counterparty)))
    else:
        query = select(Deal)
        if filters.text:
            query = query.outerjoin(Counterparty, Counterparty.id == Deal.counterparty_id)
    if filters.status:
        query = query.where(Deal.status.in_(filters.status))
    elif not filters.include_archive:
        model = model or statuses.current_model()
        archived = [s.code for s in model.statuses if s.archive]
        if archived:
            query = query.where(Deal.status.not_in(archived))
    if filters.counted is not None:
        query = query.where(Deal.id.in_(filters.counted))
    if filters.responsible:
        query = query.where(Deal.responsible_id.in_(filters.responsible))
    if filters.source:
        query = query.where(Deal.source_id.in_(filters.source))
    if filters.text:
        like = f"%{filters.text.lower()}%"
        conditions = [func.lower(column).like(like) for column in SEARCHED]
        conditions.append(func.lower(Counterparty.name).like(like))
        number = fields.lookup_id(filters.text)
        if number is not None:
            conditions.append(Deal.number == number)
        query = query.where(or_(*conditions))
    if filters.created_from:
        query = query.where(Deal.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(Deal.created_at < filters.created_to)
    if filters.budget_min is not None:
        query = query.where(Deal.budget >= filters.budget_min)
    if filters.budget_max is not None:
        query = query.where(Deal.budget <= filters.budget_max)
    if filters.rotting:
        query = query.where(rotting.condition(model))
    return query


def ordered(query, filters, model=None):
    """The query sorted by the filters' sort column, deal number breaking ties."""
    return query.order_by(*sort_order(filters, model))


def sort_order(filters, model=None):
    """(the filters' sort column, deal number breaking ties), each ascending or descending.

    Statuses sort in the diagram's order (as the board's columns), not by their codes.
    """
    key = filters.sort.lstrip("-")
    column = SORTABLE[key]
    if key == "status":
        order_of = {s.code: s.order for s in (model or statuses.current_model()).statuses}
        column = case(order_of, value=Deal.status, else_=len(order_of)) if order_of else Deal.status
    order = column.desc() if filters.sort.startswith("-") else column.asc()
    tie = Deal.number.desc() if filters.sort.startswith("-") else Deal.number.asc()
    return order, tie


# A deal's columns and the names it refers to: what a serialized list needs (processes.serialize.row_dicts).
LISTED_COLUMNS = (*Deal.__table__.c, User.username.label("responsible_name"), Source.name.label("source_name"),
                  Counterparty.name.label("counterparty_name"))
# The journal's page: the same, and the responsible's name as people see it (``User.display_name``).
PAGE_COLUMNS = (*LISTED_COLUMNS, User.display_name.label("responsible_display"))


def search(filters, model=None):
    """(deals of the page as plain rows of ``PAGE_COLUMNS``, total count, their last touches) for filters.

    The last touches ({deal id: ``rotting.last_touch``} of the deals whose status has ``rotDays``, for
    ``rotting.idle_days``: the journal marks rotting rows) come in the page's own statement.
    """
    rows, total = _page_rows(filters, (*PAGE_COLUMNS, rotting.watched_touch(model).label("touched")), model)
    return rows, total, {row.id: row.touched for row in rows}


def search_rows(filters):
    """(the page as plain rows of ``LISTED_COLUMNS``, total count) for filters: what the API serializes."""
    return _page_rows(filters, LISTED_COLUMNS)


def _page_rows(filters, columns, model=None):
    """(one page of the deals matching filters as named tuples of ``columns``, their total count).

    Rows, not entities: a page of fifty deals and their three references was two hundred objects to build.
    The count leaves out the page's joins (each a many-to-one on a primary key: they never add or drop a
    row), so it reads one index instead of looking up three rows per matching deal.
    """
    query = filtered(filters, model).with_only_columns(*columns, maintain_column_froms=True)
    return page_of(query, sort_order(filters, model), filters.page, filters.per_page, _counted_of(filters),
                   entities=False)


def _counted_of(filters):
    return filtered(filters, joins=False).with_only_columns(Deal.id, maintain_column_froms=True)
