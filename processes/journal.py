"""The deals journal: filters, search, sort and pagination, shared by every face."""
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager

from engine.db import db
from processes import analytics, fields, rotting, statuses
from processes.errors import ValidationError
from processes.models import Counterparty, Deal, DealTotal, Source, User
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
        query = (select(Deal).select_from(_joined(REFERENCES))
                 .options(contains_eager(Deal.responsible), contains_eager(Deal.source),
                          contains_eager(Deal.counterparty)))
    else:
        query = select(Deal).select_from(_joined(_searched(filters)))
    return query.where(*conditions(filters, model))


def _searched(filters):
    """The ``REFERENCES`` the text filter reads (``conditions``): a select with it joins them."""
    return {"counterparty"} if filters.text else set()


def conditions(filters, model=None):
    """The WHERE conditions of a select of deals for filters (the text filter reads ``counterparties``: a select
    with one joins the tables of ``_searched``)."""
    where = []
    if filters.status:
        where.append(Deal.status.in_(filters.status))
    elif not filters.include_archive:
        model = model or statuses.current_model()
        archived = [s.code for s in model.statuses if s.archive]
        if archived:
            where.append(Deal.status.not_in(archived))
    if filters.counted is not None:
        where.append(Deal.id.in_(filters.counted))
    if filters.responsible:
        where.append(Deal.responsible_id.in_(filters.responsible))
    if filters.source:
        where.append(Deal.source_id.in_(filters.source))
    if filters.text:
        like = f"%{filters.text.lower()}%"
        matches = [func.lower(column).like(like) for column in SEARCHED]
        matches.append(func.lower(Counterparty.name).like(like))
        number = fields.lookup_id(filters.text)
        if number is not None:
            matches.append(Deal.number == number)
        where.append(or_(*matches))
    if filters.created_from:
        where.append(Deal.created_at >= filters.created_from)
    if filters.created_to:
        where.append(Deal.created_at < filters.created_to)
    if filters.budget_min is not None:
        where.append(Deal.budget >= filters.budget_min)
    if filters.budget_max is not None:
        where.append(Deal.budget <= filters.budget_max)
    if filters.rotting:
        where.append(rotting.condition(model))
    return where


def totals_answer(filters):
    """Whether the running totals answer these filters: no condition on anything but status and responsible."""
    return not (filters.source or filters.text or filters.created_from or filters.created_to
                or filters.budget_min is not None or filters.budget_max is not None or filters.rotting
                or filters.counted is not None)


_RUNNING = select(DealTotal.status, func.sum(DealTotal.deals), func.sum(DealTotal.budget)).group_by(DealTotal.status)


def running_totals(filters, model=None):
    """{status: (count, budget sum)} of the deals matching filters that ``totals_answer``, from the running totals
    (``DealTotal``: a few rows kept by triggers on ``deals``, however many deals there are), with the same
    status and responsible conditions as ``conditions``."""
    query = _RUNNING
    if filters.responsible:
        query = query.where(DealTotal.responsible_id.in_(filters.responsible))
    chosen = set(filters.status)
    hidden = set() if chosen or filters.include_archive else \
        {s.code for s in (model or statuses.current_model()).statuses if s.archive}
    return {status: (count, total) for status, count, total in db.session.execute(query)
            if count and (status in chosen if chosen else status not in hidden)}


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
# What a journal column shows, by its key (web.journal.columns): a name it refers to, else the deal's own column.
SHOWN = {"counterparty": Counterparty.name.label("counterparty_name"),
         "responsible": User.display_name.label("responsible_display"), "source": Source.name.label("source_name"),
         **{c.key: c for c in Deal.__table__.c}}
# What every journal row reads whatever its columns: its link, pick box and rotting mark.
ROW_COLUMNS = (Deal.id, Deal.number, Deal.status, Deal.status_changed_at)
# The tables a deal refers to, by the key of the journal column (and sort) that reads each: a page joins one
# only when its columns, its sort or its text filter read it.
REFERENCES = {"responsible": (User.__table__, Deal.responsible_id), "source": (Source.__table__, Deal.source_id),
              "counterparty": (Counterparty.__table__, Deal.counterparty_id)}


def search(filters, model=None, shown=None):
    """(deals of the page as plain rows, total count, their last touches) for filters.

    A row carries ``ROW_COLUMNS`` and, for each journal column key in ``shown`` (all when None), its ``SHOWN``
    column: a page reads the columns it shows, not a letter's whole text in every row. The last touches
    ({deal id: ``rotting.last_touch``} of the deals whose status has ``rotDays``, for ``rotting.idle_days``: the
    journal marks rotting rows) come in the page's own statement.
    """
    keys = SHOWN if shown is None else [key for key in shown if key in SHOWN]
    columns = {column.key: column for column in (*ROW_COLUMNS, *(SHOWN[key] for key in keys))}
    rows, total = _page_rows(filters, (*columns.values(), rotting.watched_touch(model).label("touched")),
                             [key for key in keys if key in REFERENCES], model)
    return rows, total, {row.id: row.touched for row in rows}


def search_rows(filters):
    """(the page as plain rows of ``LISTED_COLUMNS``, total count) for filters: what the API serializes."""
    return _page_rows(filters, LISTED_COLUMNS, REFERENCES)


def _page_rows(filters, columns, references, model=None):
    """(one page of the deals matching filters as named tuples of ``columns``, their total count).

    Rows, not entities: a page of fifty deals and their three references was two hundred objects to build.
    ``columns`` read the tables of ``references`` (``REFERENCES`` keys); the sort may read one more. Each is a
    many-to-one on a primary key (it never adds or drops a row), so the count joins none but what the text
    filter reads, and reads one index. Filtered by nothing but status and responsible (the journal as people
    open it, the API's list of one's deals), the total comes from the running totals instead: counting tens of
    thousands of deals took longer than the rest of the page.
    """
    where, order = conditions(filters, model), sort_order(filters, model)
    searched = _searched(filters)
    query = (select(*columns).where(*where)
             .select_from(_joined({*references, filters.sort.lstrip("-")} | searched)))
    if totals_answer(filters):
        total = sum(count for count, _budget in running_totals(filters, model).values())
        return page_of(query, order, filters.page, filters.per_page, total=total, entities=False)
    counted = select(Deal.id).select_from(_joined(searched)).where(*where)
    return page_of(query, order, filters.page, filters.per_page, counted, entities=False)


def _joined(keys):
    """``deals`` outer-joined with the tables of those ``REFERENCES`` among ``keys``."""
    joined = Deal.__table__
    for key, (table, foreign_key) in REFERENCES.items():
        if key in keys:
            joined = joined.outerjoin(table, table.c.id == foreign_key)
    return joined
