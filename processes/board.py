"""The kanban board: a column per status with its count and budget sum, cards paged lazily."""
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete, func, insert, select, text, union_all

from engine import definitions
from engine.clock import utcnow
from engine.db import db, generic_plan, plain_rows
from engine.models import WorkflowInstance
from engine import clock
from processes import activities, journal, rotting, statuses
from processes.access import require_can_act
from processes.errors import Forbidden
from processes.models import Deal, DealTotal, User

PAGE = 50
# What a card shows and what decides its drops and marks, read as plain rows (no entities: a board loads
# hundreds of cards, and building them was most of its loading time): ``owner`` is the responsible's
# display name (``User.display_name``), ``definition_id`` and ``workflow_state`` those of the deal's workflow.
CARD_COLUMNS = (Deal.id, Deal.number, Deal.name, Deal.company, Deal.budget, Deal.status, Deal.version,
                Deal.status_changed_at, Deal.responsible_id, Deal.workflow_id,
                User.display_name.label("owner"),
                WorkflowInstance.definition_id, WorkflowInstance.status.label("workflow_state"))


def _card_rows(condition, model):
    """The card rows of the deals matching ``condition`` (``_cards_query``)."""
    return plain_rows(db.session.execute(_cards_query(condition, model)))


def _cards_query(condition, model):
    """The cards of the deals matching ``condition``, newest deal first, each with what its marks need:
    ``next_due`` (``activities.soonest_due``, for ``card_marks``) and ``touched`` (``rotting.watched_touch``,
    for ``rotting.idle_days``) — one statement for the page."""
    columns = (*CARD_COLUMNS, activities.soonest_due(Deal.id).label("next_due"),
               rotting.watched_touch(model).label("touched"))
    return (select(*columns).outerjoin(User, User.id == Deal.responsible_id)
            .outerjoin(WorkflowInstance, WorkflowInstance.id == Deal.workflow_id)
            .where(condition).order_by(Deal.number.desc()))

@dataclass
class Column:
    status: statuses.Status
    count: int = 0
    budget: object = 0
    cards: list = field(default_factory=list)
    allowed: dict = field(default_factory=dict)  # {deal id: status codes the card may be dropped on}
    marks: dict = field(default_factory=dict)  # {deal id: "overdue" or "no-step"} (see ``card_marks``)
    why: dict = field(default_factory=dict)  # {deal id: why it moves nowhere} (Drops.why)
    old: dict = field(default_factory=dict)  # {deal id: (version, its statuses)} of deals on an older version
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
    """{status: (count, budget sum)} for deals matching filters.

    From the running totals (``DealTotal``: a few rows, however many deals) when the filters are only by
    status and responsible, as the board's usually are; else in one grouped query over the matching deals.
    """
    return (journal.running_totals(filters, model) if journal.totals_answer(filters)
            else counted_totals(filters, model))


def counted_totals(filters, model):
    """``column_totals`` counted over the matching deals in one grouped query (its cost grows with them)."""
    query = journal.filtered(filters, model, joins=False).with_only_columns(
        Deal.status, func.count(), func.coalesce(func.sum(Deal.budget), 0), maintain_column_froms=True)
    serial = db.engine.dialect.name == "postgresql"
    if serial:
        # One index-only scan in status order beats PostgreSQL's parallel plan for it (which it picks for a
        # large table): starting workers and merging their groups cost more than the scan, the more so
        # on a busy machine. For this statement only.
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    rows = db.session.execute(query.group_by(Deal.status)).all()
    if serial:
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather TO DEFAULT"))
    return {status: (count, total) for status, count, total in rows}


def fold_totals():
    """Sum the running totals' rows into one per (status, responsible); return how many rows it folded.

    The worker does it every pass, so the board reads a few rows however many deals were written. Run in
    its own transaction; moves going on meanwhile add rows it leaves for the next fold. PostgreSQL deletes
    and sums the same rows in one statement (one snapshot), then vacuums the table (``_compact_totals``).
    SQLite has one writer at a time and reuses a deleted row's space.
    """
    if db.engine.dialect.name == "postgresql":
        folded = _fold_postgresql()
        if folded:
            _compact_totals()
        return folded
    table = DealTotal.__table__
    summed = select(table.c.status, table.c.responsible_id, func.sum(table.c.deals), func.sum(table.c.budget))
    with db.engine.begin() as connection:
        top = connection.execute(select(func.max(table.c.id))).scalar()
        if top is None:
            return 0
        connection.execute(insert(table).from_select(
            ["status", "responsible_id", "deals", "budget"],
            summed.where(table.c.id <= top).group_by(table.c.status, table.c.responsible_id)
            .having(func.sum(table.c.deals) != 0)))
        return connection.execute(delete(table).where(table.c.id <= top)).rowcount


_MANY_PAGES = 64  # ~10,000 moves between two folds: a bulk import, a seeding


def _compact_totals():
    """Keep the running totals small (PostgreSQL), after a fold.

    Every board and journal page reads them whole, and PostgreSQL keeps a folded row's space until a vacuum,
    which autovacuum does some time later if it is on (this machine's server has it off: 22 live rows had grown
    to 769 pages, 0.7 ms a read, after 124,000 moves). So the fold vacuums the table, and the next moves reuse
    its space: it stays as large as the moves between two folds make it. That vacuum does not cut the table
    short, which takes a lock that every page's read of the totals holds off (VACUUM waits for it up to 5 s).
    Only a table grown past ``_MANY_PAGES`` is cut: its live rows went to its end, past the space the vacuum
    freed, so they are folded once more into the freed pages at its start and a vacuum cuts the rest.
    """
    if _vacuumed_pages(cut=False) > _MANY_PAGES:
        _fold_postgresql()
        _vacuumed_pages(cut=True)


def _fold_postgresql():
    with db.engine.begin() as connection:
        return connection.execute(text(_FOLD_POSTGRESQL)).scalar() or 0


def _vacuumed_pages(cut):
    """VACUUM the running totals, cutting empty pages off its end or not; the pages they then take. With
    INDEX_CLEANUP: left to itself, PostgreSQL skips cleaning the indexes of a table with so few dead rows, and
    their line pointers would keep its pages."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM (INDEX_CLEANUP ON, TRUNCATE {'ON' if cut else 'OFF'}) deal_totals"))
        return connection.execute(text("SELECT pg_relation_size('deal_totals') / "
                                       "current_setting('block_size')::int")).scalar()


_FOLD_POSTGRESQL = """
WITH gone AS (DELETE FROM deal_totals RETURNING status, responsible_id, deals, budget),
     kept AS (INSERT INTO deal_totals (status, responsible_id, deals, budget)
              SELECT status, responsible_id, SUM(deals), SUM(budget) FROM gone
              GROUP BY status, responsible_id HAVING SUM(deals) <> 0)
SELECT COUNT(*) FROM gone
"""


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
    page = query.with_only_columns(Deal.id, maintain_column_froms=True).order_by(Deal.number.desc()).limit(limit)
    return _card_rows(Deal.id.in_(page.scalar_subquery()), model)


def first_cards(filters, model, codes, limit=PAGE):
    """{status: its first page of cards} for several columns in one statement.

    A UNION ALL of each column's own page (each an index range scan), so the board costs one round
    trip however many columns have cards.
    """
    model = model or statuses.current_model()
    wanted = tuple(code for code in codes if not filters.status or code in filters.status)
    if not wanted:
        return {}
    cards = {code: [] for code in wanted}
    if _by_status_only(filters):
        # Unfiltered but by status, each column's page is the same walk down one index whatever the status, and
        # the statement (a branch and its joins per column) cost more to build, key and plan than to run: built
        # once per diagram, columns and page size, and planned once per connection.
        statement = _unfiltered_cards(model, wanted, limit, tuple(filters.status), filters.include_archive)
        with generic_plan(db.session):
            rows = plain_rows(db.session.execute(statement))
    else:
        rows = plain_rows(db.session.execute(_first_cards_query(filters, model, wanted, limit)))
    for row in rows:
        cards[row.status].append(row)
    return cards


@lru_cache(maxsize=64)
def _unfiltered_cards(model, wanted, limit, status, include_archive):
    """``_first_cards_query`` of a board filtered by nothing but status: its filters are the key."""
    filters = journal.Filters(status=list(status), include_archive=include_archive)
    return _first_cards_query(filters, model, wanted, limit)


def _first_cards_query(filters, model, wanted, limit):
    return _cards_query(Deal.id.in_(_first_pages(filters, model, wanted, limit)), model)


def _first_pages(filters, model, wanted, limit):
    """The ids of each column's first page: a UNION ALL of one index walk per status, each stopping after its page
    («the newest deals of one status», or one person's of a status: 0025)."""
    page = (journal.filtered(filters, model, joins=False).with_only_columns(Deal.id, maintain_column_froms=True)
            .order_by(Deal.number.desc()).limit(limit))
    pages = [select(page.where(Deal.status == code).subquery()) for code in wanted]
    return pages[0] if len(pages) == 1 else union_all(*pages)


def _by_status_only(filters):
    return not filters.responsible and journal.totals_answer(filters)


def load_board(filters, model=None, limit=PAGE, user=None):
    """The columns of the board (from the deployed diagram) with totals and first cards.

    With ``user``, a card offers only the drops that user may make (see ``drop_rules``).
    """
    model = model or statuses.current_model()
    totals = column_totals(filters, model)
    columns = [Column(status, *totals.get(status.code, (0, 0))) for status in model.board]
    for code in sorted(set(totals) - set(model.by_code)):
        status = statuses.retired_status(code)
        if status is None or status.archive:
            continue
        columns.append(Column(status, *totals[code], retired=True))
    cards = first_cards(filters, model, [column.status.code for column in columns if column.count], limit)
    for column in columns:
        column.cards = cards.get(column.status.code, [])
    cards = [deal for column in columns for deal in column.cards]
    drops, marks, idle = drop_rules(cards, model, user), card_marks(cards, model), card_idle(cards, model)
    for column in columns:
        column.allowed, column.why, column.old, column.marks, column.idle = (
            drops.allowed, drops.why, drops.old, marks, idle)
    return columns


def card_idle(cards, model=None):
    """``rotting.idle_days`` of card rows, which carry their last touch."""
    return rotting.idle_days(cards, model, touched={card.id: card.touched for card in cards})


def card_marks(cards, model=None):
    """{deal id: "overdue" (its next activity is late) or "no-step" (an open deal with none planned)}.

    No query: card rows (``_card_rows``) carry their ``next_due``. A deal in a status that waits on nobody
    (``actionable=false``, an end) needs no next step.
    """
    model = model or statuses.current_model()
    now, marks = clock.now(), {}
    for deal in cards:
        due = deal.next_due
        status = model.by_code.get(deal.status)
        if due is not None and due < now:
            marks[deal.id] = "overdue"
        elif due is None and status is not None and status.actionable:
            marks[deal.id] = "no-step"
    return marks


@dataclass
class Drops:
    """Where each card may be dropped, and what the board says when it may not.

    ``why``: {deal id: "error", "final", "role", "another_manager", "lane:<role>"} for a card that moves
    nowhere; ``old``: {deal id: (version, status codes)} for a deal on an older version than the columns'.
    """

    allowed: dict
    why: dict
    old: dict


def drop_rules(cards, newest=None, user=None):
    """The Drops of these cards: the statuses each may move to, by the version each deal's workflow runs on.

    The columns follow the newest diagram (``newest``, the model of a deal
    without a workflow), but a deal still on an older version moves by that
    version's flows; a deal stuck in an error moves nowhere until it is
    retried; with ``user``, a deal that user may not act on (another
    manager's, or one waiting for the director) moves nowhere either — the
    same rule ``moves.move_deal`` enforces. No query: card rows (``_card_rows``)
    carry their workflow's version and state; one model per version.
    """
    newest = newest or statuses.current_model()
    models, rules = {}, {}
    result = Drops({}, {}, {})
    for deal in cards:
        key = (deal.definition_id, deal.workflow_state, deal.status, deal.responsible_id)  # None, None: no workflow
        rule = rules.get(key)
        if rule is None:  # a page's cards share a few of these: each worked out once
            rule = rules[key] = _drop_rule(deal, newest, user, models)
        allowed, why, old = rule
        result.allowed[deal.id] = allowed
        if why is not None:
            result.why[deal.id] = why
        if old is not None:
            result.old[deal.id] = old
    return result


def _drop_rule(deal, newest, user, models):
    """(statuses the card may go to, why it goes nowhere or None, (version, statuses) of an older version or None)."""
    definition_id = deal.definition_id
    if definition_id not in models:
        models[definition_id] = statuses.model_for(definitions.get(definition_id)) if definition_id else newest
    model = models[definition_id]
    old = (definitions.get(definition_id).version, [s.code for s in model.statuses]) \
        if model is not newest and definition_id else None
    status = model.by_code.get(deal.status)
    if deal.workflow_state == "error" or status is None:
        return (), "error", old
    if user is not None:
        try:
            require_can_act(user, deal, status.lane)
        except Forbidden as refused:
            return (), refused.why or "role", old
    allowed = tuple(model.allowed(deal.status))
    return allowed, None if allowed else "final", old


def days_in_status(deal, now=None):
    """Whole days a deal has been in its current status."""
    now = now or utcnow()
    changed = deal.status_changed_at or now
    return max(0, (now - changed).days) if isinstance(changed, datetime) else 0
