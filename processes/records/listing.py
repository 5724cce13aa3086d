"""Reading a journal's query string and cutting its pages, for every record type's journal.

Arguments come as a mapping of lists (``request.args.to_dict(flat=False)``);
a bare value counts as a list of one.
"""
from sqlalchemy import func, select

from engine.db import db, plain_rows
from processes import fields

PER_PAGE = 50


class QueryArgs:
    """A journal's query-string arguments."""

    def __init__(self, args):
        self.args = {k: (v if isinstance(v, (list, tuple)) else [v]) for k, v in args.items()}

    def one(self, name):
        """The first value given for ``name``, or None."""
        values = self.args.get(name) or []
        return values[0] if values else None

    def many(self, name):
        """Every value given for ``name``, comma-separated ones split."""
        return [part for value in self.args.get(name) or [] for part in str(value).split(",") if part]

    def flag(self, name):
        """Whether ``name`` is given as a yes (``fields.parse_bool``)."""
        return fields.parse_bool(self.one(name))

    def integers(self, defaults, errors):
        """{name: whole number} for each (name, default) of ``defaults``; a bad one goes into ``errors`` instead."""
        numbers = {}
        for name, default in defaults:
            try:
                numbers[name] = self.integer(name, default)
            except ValueError as exc:
                errors[name] = str(exc)
        return numbers

    def integer(self, name, default=None):
        """A whole-number argument from 1 to ``fields.MAX_ID`` (``default`` when absent or empty), else ValueError."""
        value = self.one(name)
        return default if value in (None, "") else fields.parse_id(value)


def page_bounds(page, per_page, most):
    """(page, per_page) clamped: the first page at least, one to ``most`` rows a page."""
    return max(1, page), min(most, max(1, per_page))


def page_count(total, per_page):
    """How many pages ``total`` rows fill, ``per_page`` a page: one at least, empty as it may be."""
    return max(1, -(-total // per_page))


def page_of(query, order, page, per_page, counted=None, entities=True, total=None):
    """(rows of one page of ``query`` sorted by ``order``, the count of all its rows).

    ``counted``: a select of the same rows that is cheaper to count (without the joins that only loading
    needs, so the database counts from an index alone); ``query`` itself when absent. ``total``: the count,
    known otherwise (then nothing is counted).
    ``entities=False``: the page as named tuples of the query's columns (``engine.db.plain_rows``), not as its
    first entity.
    """
    if total is None:
        total = db.session.scalar(select(func.count()).select_from((query if counted is None else counted)
                                                                   .order_by(None).subquery()))
    paged = query.order_by(*order).offset((page - 1) * per_page).limit(per_page)
    rows = db.session.scalars(paged).all() if entities else plain_rows(db.session.execute(paged))
    return rows, total
