"""A deal's timeline: notes, status changes, letters in and out, activities (and, from tasks/, assignments).

One query builds a page: each source is a SELECT of (kind, at, id) for the
deal, the sources are glued with UNION ALL and the database sorts and cuts the
page (ORDER BY at DESC LIMIT/OFFSET), so a deal with years of history costs
one page. Then one query per kind present on the page loads its rows.
A deal's last touch (for rotting) is ``processes.rotting.last_touch``.
"""
from dataclasses import dataclass

from sqlalchemy import DateTime, String, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from engine.db import db
from processes.activity_models import ActivityEvent, DealNote
from processes.mail_models import Letter, OutboxMail
from processes.models import DealHistory

PER_PAGE = 20
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Source:
    """One kind of timeline entry: the SELECT of (kind, at, id) of a deal's entries, and how to load rows by id."""
    kind: str
    entries: object   # deal -> Select of three labelled columns: kind, at, id
    load: object      # ids -> {id: row}


@dataclass
class Entry:
    kind: str    # note, status, letter_in, letter_out, activity, assignment (a source's kind)
    at: object
    item: object  # the source's row


def rows_by_id(model, ids, *options):
    query = select(model).where(model.id.in_(list(ids)))
    for option in options:
        query = query.options(option)
    return {row.id: row for row in db.session.scalars(query)}


def entry_columns(kind, at, id_column):
    return (literal(kind, String).label("kind"), at.label("at"), id_column.label("id"))


NOTES = Source("note", lambda deal: select(*entry_columns("note", DealNote.created_at, DealNote.id))
               .where(DealNote.deal_id == deal.id),
               lambda ids: rows_by_id(DealNote, ids))
STATUS = Source("status", lambda deal: select(*entry_columns("status", DealHistory.at, DealHistory.id))
                .where(DealHistory.deal_id == deal.id),
                lambda ids: rows_by_id(DealHistory, ids))
LETTERS_IN = Source("letter_in", lambda deal: select(*entry_columns("letter_in", Letter.received_at, Letter.id))
                    .where(Letter.deal_id == deal.id),
                    lambda ids: rows_by_id(Letter, ids))
# Letters the app sent about the deal (to its lane, its manager): the outbox topics «deal:<number>:…».
LETTERS_OUT = Source("letter_out", lambda deal: select(*entry_columns("letter_out", OutboxMail.created_at, OutboxMail.id))
                     .where(OutboxMail.topic.like(f"deal:{deal.number}:%")),
                     lambda ids: rows_by_id(OutboxMail, ids))
ACTIVITIES = Source("activity", lambda deal: select(*entry_columns("activity", ActivityEvent.at, ActivityEvent.id))
                    .where(ActivityEvent.deal_id == deal.id),
                    lambda ids: rows_by_id(ActivityEvent, ids))
SOURCES = (NOTES, STATUS, LETTERS_IN, LETTERS_OUT, ACTIVITIES)


def page(deal, page_number=1, per_page=PER_PAGE, sources=SOURCES):
    """One page of a deal's timeline, newest first: (entries, has_more)."""
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    offset = (max(1, int(page_number)) - 1) * per_page
    union = union_all(*(source.entries(deal) for source in sources)).subquery("timeline")
    rows = db.session.execute(select(union.c.kind, union.c.at, union.c.id)
                              .order_by(union.c.at.desc(), union.c.kind, union.c.id.desc())
                              .limit(per_page + 1).offset(offset)).all()
    has_more, rows = len(rows) > per_page, rows[:per_page]
    by_kind = {source.kind: source for source in sources}
    ids = {}
    for kind, _, row_id in rows:
        ids.setdefault(kind, []).append(row_id)
    loaded = {kind: by_kind[kind].load(found) for kind, found in ids.items()}
    return [Entry(kind, at, loaded[kind][row_id]) for kind, at, row_id in rows
            if row_id in loaded[kind]], has_more


class latest_known(FunctionElement):
    """The latest of a time that is known (the first argument) and of the others that are (not NULL).

    PostgreSQL's GREATEST passes over NULLs and reads each argument once; SQLite's scalar MAX is NULL when
    one is, so there each other argument falls back to the first.
    """
    type = DateTime()
    name = "latest_known"
    inherit_cache = True


@compiles(latest_known)
def _latest_known(element, compiler, **kw):
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(latest_known, "sqlite")
def _latest_known_sqlite(element, compiler, **kw):
    first, *others = element.clauses.clauses
    known = [first, *(func.coalesce(other, first) for other in others)]
    return f"max({', '.join(compiler.process(clause, **kw) for clause in known)})"
