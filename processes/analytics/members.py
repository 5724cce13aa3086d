"""The deals one cell of a figure counted: «open in journal» filters the journal to exactly these.

A cell is named ``figure:key`` (``funnel:40``, ``win-rate:won``, ``transitions:new>firstContact``…);
``cell_keys`` lists each figure's keys. The journal (processes.journal) reads the cell and the scope from
its query string, so a link keeps working when shared, bookmarked or exported.
"""
from sqlalchemy import select

from processes.analytics import figures, sql
from processes.analytics.catalogue import catalogue
from processes.errors import ValidationError


def _whole(text):
    if not text.isdigit() or len(text) > 9:
        raise ValueError
    return int(text)


def _funnel(scope, key):
    base = figures.funnel_base(scope, catalogue())
    if key == "created":
        return select(base.c.deal_id)
    return select(base.c.deal_id).where(base.c.top >= _whole(key))


def _win_rate(scope, key):
    if key.startswith("reason:"):
        base = figures.refusals_base(scope)
        return select(base.c.deal_id).where(base.c.reason_id == _whole(key[7:]))
    base = figures.closed_base(scope)
    simple = {"closed": None, "won": base.c.won == 1, "refused": base.c.won == 0}
    if key in simple:
        query = select(base.c.deal_id)
        return query if simple[key] is None else query.where(simple[key])
    column, _, value = key.partition(":")
    names = {"manager": base.c.responsible_id, "source": base.c.source_id}
    if column not in names:
        raise ValueError
    column = names[column]
    return select(base.c.deal_id).where(column.is_(None) if value == "none" else column == _whole(value))


def _cycle_time(scope, key):
    if key != "won":
        raise ValueError
    return select(figures.cycle_base(scope).c.deal_id)


def _time_in_status(scope, key):
    base = sql.stays(scope)
    return select(base.c.deal_id).where(base.c.status == key).distinct()


def _transitions(scope, key):
    came, _, went = key.partition(">")
    base = sql.stays(scope)
    return select(base.c.deal_id).where(base.c.status == came, base.c.next_status == went).distinct()


def _forecast(scope, key):
    base = figures.forecast_base(scope, catalogue())
    return select(base.c.deal_id).where(base.c.month == ("" if key == "undated" else key))


def _throughput(scope, key):
    kind, _, week = key.partition(":")
    bases = figures.throughput_base(scope)
    if kind not in bases:
        raise ValueError
    return select(bases[kind].c.deal_id).where(bases[kind].c.week == week).distinct()


CELLS = {"funnel": _funnel, "win-rate": _win_rate, "cycle-time": _cycle_time, "time-in-status": _time_in_status,
         "transitions": _transitions, "forecast": _forecast, "throughput": _throughput}


def members(cell, scope):
    """A select of the ids of the deals counted in ``cell`` (``figure:key``) over ``scope``."""
    figure, _, key = (cell or "").partition(":")
    if figure not in CELLS or not key:
        raise ValidationError({"analytics": f"a figure's cell: one of {', '.join(CELLS)}, a colon, a key"})
    try:
        return CELLS[figure](scope, key)
    except ValueError:
        raise ValidationError({"analytics": f"no cell '{key}' in {figure}"}) from None
