"""The figures of pipeline analytics, each one SQL aggregation over the deal history.

Every figure has a *base*: a subquery with one row per deal (or per stay) it counts, carrying the
keys it is broken down by. The figure aggregates its base; ``members`` selects the deals of one
cell of it, so «open in journal» lists exactly the deals the figure counted.
"""
from datetime import timedelta
from functools import wraps

from sqlalchemy import case, distinct, func, literal, null, select, union_all

from engine.db import db
from processes import fields
from processes.analytics import sql
from processes.analytics.catalogue import REFUSED, WON, catalogue
from processes.deal_record import STATUS_KINDS
from processes.models import Deal, DealHistory, RefusalReason, Source, User

h = DealHistory


def _figure(answer):
    """A figure's function: its transaction set for aggregation first (sql.prepare)."""
    @wraps(answer)
    def run(scope):
        sql.prepare()
        return answer(scope)
    return run


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def _days(seconds):
    return None if seconds is None else round(seconds / 86400, 2)


def _in_period(column, scope):
    return (column >= scope.start, column < scope.end)


# --- funnel -------------------------------------------------------------------------------------

def funnel_base(scope, cat):
    """Deals created in the period: deal_id, top (the highest funnel percent their history entered)."""
    percents = {code: p for code, p in cat.percent.items() if p is not None}
    top = case(percents, value=h.to_status, else_=None) if percents else None
    return (select(h.deal_id, func.max(top).label("top")).join(Deal, Deal.id == h.deal_id)
            .where(*_in_period(Deal.created_at, scope), *scope.deal_conditions(),
                   h.kind.in_(STATUS_KINDS), h.to_status.is_not(None))
            .group_by(h.deal_id).subquery())


@_figure
def funnel(scope):
    """Per funnel stage: the deals created in the period that reached it (or a later stage), and shares."""
    cat = catalogue()
    base = funnel_base(scope, cat)
    columns = [func.count(case((base.c.top >= percent, 1))) for _, _, percent in cat.stages]
    reached = list(db.session.execute(select(func.count(), *columns).select_from(base)).one())
    created, reached = reached[0], reached[1:]
    stages, first, previous = [], reached[0] if reached else 0, None
    for (name, label, percent), count in zip(cat.stages, reached):
        stages.append({"stage": name, "label": label, "percent": percent, "reached": count,
                       "share_of_first": _ratio(count, first),
                       "share_of_previous": _ratio(count, previous) if previous is not None else None})
        previous = count
    return {"created": created, "stages": stages}


# --- win rate and refusals ----------------------------------------------------------------------

def closed_base(scope):
    """Deals closed (entered won or refused) in the period: deal_id, won (1/0), responsible_id, source_id."""
    closing = (select(h.deal_id, func.max(case((h.to_status == WON, 1), else_=0)).label("won"))
               .where(*_in_period(h.at, scope), h.to_status.in_((WON, REFUSED)), h.kind.in_(STATUS_KINDS))
               .group_by(h.deal_id).subquery())
    return (select(closing.c.deal_id, closing.c.won, Deal.responsible_id, Deal.source_id)
            .join(Deal, Deal.id == closing.c.deal_id).where(*scope.deal_conditions()).subquery())


def _rate(row):
    won = int(row.won or 0)
    return {"id": row.key, "name": row.name, "closed": row.closed, "won": won, "rate": _ratio(won, row.closed)}


@_figure
def win_rate(scope):
    """Of the deals closed in the period, the share won: overall, by manager, by source; refusals by reason.

    One statement: the closed deals once (a CTE), counted whole, per manager and per source.
    """
    base = closed_base(scope).element.cte("closed")
    manager = User.display_name
    total = select(literal("all").label("part"), null().label("key"), null().label("name"),
                   func.count().label("closed"), func.sum(base.c.won).label("won")).select_from(base)
    parts = [total]
    for part, key, named, name in (("manager", base.c.responsible_id, User, manager),
                                   ("source", base.c.source_id, Source, Source.name)):
        parts.append(select(literal(part), key, name, func.count(), func.sum(base.c.won))
                     .select_from(base).outerjoin(named, named.id == key).group_by(key, name))
    rows = db.session.execute(union_all(*parts)).all()
    grouped = {"manager": [], "source": []}
    for row in rows:
        if row.part != "all":
            grouped[row.part].append(_rate(row))
    overall = _rate(next(row for row in rows if row.part == "all"))
    for found in grouped.values():
        found.sort(key=lambda r: (-r["closed"], r["id"] is None, r["id"] or 0))
    return {"closed": overall["closed"], "won": overall["won"], "refused": overall["closed"] - overall["won"],
            "rate": overall["rate"], "by_manager": grouped["manager"], "by_source": grouped["source"],
            "reasons": refusals(scope)["reasons"]}


def refusals_base(scope):
    """Deals refused in the period: deal_id, reason_id (of their last refusal in it; 0: none given).

    The period's refusals ranked per deal, newest first, all read from ``ix_deal_history_to_status_at``.
    """
    ranked = (select(h.deal_id, h.reason_id,
                     func.row_number().over(partition_by=h.deal_id, order_by=h.id.desc()).label("newest"))
              .where(*_in_period(h.at, scope), h.to_status == REFUSED, h.kind.in_(STATUS_KINDS)).subquery())
    last = (select(ranked.c.deal_id, func.coalesce(ranked.c.reason_id, 0).label("reason_id"))
            .where(ranked.c.newest == 1))
    if scope.deal_conditions():
        last = last.join(Deal, Deal.id == ranked.c.deal_id).where(*scope.deal_conditions())
    return last.subquery()


@_figure
def refusals(scope):
    base = refusals_base(scope)
    rows = db.session.execute(
        select(base.c.reason_id, RefusalReason.name, func.count())
        .outerjoin(RefusalReason, RefusalReason.id == base.c.reason_id)
        .group_by(base.c.reason_id, RefusalReason.name).order_by(func.count().desc(), base.c.reason_id))
    reasons = [{"id": row[0], "name": row[1], "count": row[2]} for row in rows]
    return {"refused": sum(r["count"] for r in reasons), "reasons": reasons}


# --- times --------------------------------------------------------------------------------------

def cycle_base(scope):
    """Deals first won in the period: deal_id, seconds from creation to that win."""
    won_now = select(h.deal_id).where(*_in_period(h.at, scope), h.to_status == WON, h.kind.in_(STATUS_KINDS))
    first = (select(h.deal_id, func.min(h.at).label("won_at"))
             .where(h.to_status == WON, h.kind.in_(STATUS_KINDS), h.deal_id.in_(won_now))
             .group_by(h.deal_id).having(func.min(h.at) >= scope.start, func.min(h.at) < scope.end)
             .subquery())
    return (select(first.c.deal_id, sql.seconds(first.c.won_at, Deal.created_at).label("seconds"))
            .join(Deal, Deal.id == first.c.deal_id).where(*scope.deal_conditions()).subquery())


def _spread(row):
    return {"median_days": _days(row.p50), "p90_days": _days(row.p90),
            "median_seconds": None if row.p50 is None else round(row.p50),
            "p90_seconds": None if row.p90 is None else round(row.p90)}


@_figure
def cycle_time(scope):
    """Median and 90th percentile of the days from creation to the win, of the deals won in the period."""
    base = cycle_base(scope)
    row = db.session.execute(sql.percentiles(base, base.c.seconds)).one()
    return {"deals": row.n or 0, **_spread(row)}


def _status_order(cat):
    order = {s.code: s.order for s in cat.current.statuses}
    return lambda code: (code not in order, order.get(code, 0), code)


@_figure
def time_in_status(scope):
    """Per status (by code, across versions): the stays that ended in the period, their median and p90."""
    cat = catalogue()
    base = sql.stays(scope)
    rows = db.session.execute(sql.percentiles(base, base.c.seconds, (base.c.status,))).all()
    rows.sort(key=lambda row: _status_order(cat)(row.status))
    return {"statuses": [{"status": row.status, "label": cat.label(row.status), "stays": row.n, **_spread(row)}
                         for row in rows]}


@_figure
def transitions(scope):
    """Every move from → to that ended a stay in the period: how often, the median stay before it, allowed now."""
    cat = catalogue()
    base = sql.stays(scope)
    moved = select(base).where(base.c.next_status.is_not(None)).subquery()
    rows = db.session.execute(sql.percentiles(moved, moved.c.seconds,
                                              (moved.c.status, moved.c.next_status))).all()
    order = _status_order(cat)
    rows.sort(key=lambda row: (-row.n, order(row.status), order(row.next_status)))
    return {"moves": [{"from": row.status, "to": row.next_status, "from_label": cat.label(row.status),
                       "to_label": cat.label(row.next_status), "count": row.n,
                       "median_seconds": None if row.p50 is None else round(row.p50),
                       "allowed": (row.status, row.next_status) in cat.allowed} for row in rows]}


# --- forecast and throughput --------------------------------------------------------------------

def forecast_base(scope, cat):
    """Open deals: deal_id, month (YYYY-MM of the expected close in the period; '' without one), budget, weighted."""
    percents = {code: p for code, p in cat.percent.items() if p is not None}
    percent = case(percents, value=Deal.status, else_=0) if percents else 0
    budget = func.coalesce(Deal.budget, 0)
    month = case((Deal.expected_close.is_(None), ""), else_=sql.month_of(Deal.expected_close))
    in_period = (Deal.expected_close.is_(None)
                 | ((Deal.expected_close >= scope.first) & (Deal.expected_close <= scope.last)))
    return (select(Deal.id.label("deal_id"), month.label("month"), budget.label("budget"),
                   (budget * percent / 100).label("weighted"))
            .where(Deal.status.in_(cat.open_codes()), in_period, *scope.deal_conditions()).subquery())


@_figure
def forecast(scope):
    """Open deals by the month they are expected to close: count, budget sum, budget × stage percent."""
    base = forecast_base(scope, catalogue())
    rows = db.session.execute(select(base.c.month, func.count(), func.sum(base.c.budget), func.sum(base.c.weighted))
                              .group_by(base.c.month).order_by(base.c.month)).all()
    shaped = {row[0]: {"month": row[0] or None, "deals": row[1], "budget": round(float(row[2] or 0), 2),
                       "weighted": round(float(row[3] or 0), 2)} for row in rows}
    undated = shaped.pop("", {"month": None, "deals": 0, "budget": 0.0, "weighted": 0.0})
    return {"months": list(shaped.values()), "undated": undated}


def _offset(scope):
    return fields.to_local(scope.start).utcoffset().total_seconds()


def throughput_base(scope):
    """Per deal and week: deal_id, kind (created, won, refused), week (its local Monday)."""
    offset = _offset(scope)
    created = (select(Deal.id.label("deal_id"), sql.week_of(Deal.created_at, offset).label("week"))
               .where(*_in_period(Deal.created_at, scope), *scope.deal_conditions()))
    closed = {}
    for kind, code in (("won", WON), ("refused", REFUSED)):
        closed[kind] = (select(h.deal_id, sql.week_of(h.at, offset).label("week"))
                        .where(*_in_period(h.at, scope), h.to_status == code, h.kind.in_(STATUS_KINDS)))
        if scope.deal_conditions():  # every entry has its deal: join the deals only to filter them
            closed[kind] = closed[kind].join(Deal, Deal.id == h.deal_id).where(*scope.deal_conditions())
    return {"created": created.subquery(), **{kind: query.subquery() for kind, query in closed.items()}}


@_figure
def throughput(scope):
    """Per local week of the period: deals created, won and refused (a deal once per week and kind)."""
    counts = {}
    for kind, base in throughput_base(scope).items():
        for week, count in db.session.execute(select(base.c.week, func.count(distinct(base.c.deal_id)))
                                              .group_by(base.c.week)):
            counts.setdefault(str(week)[:10], {})[kind] = count
    monday = scope.first - timedelta(days=scope.first.weekday())
    weeks = []
    while monday <= scope.last:
        found = counts.get(monday.isoformat(), {})
        weeks.append({"week": monday.isoformat(), **{k: found.get(k, 0) for k in ("created", "won", "refused")}})
        monday += timedelta(days=7)
    return {"weeks": weeks}


FIGURES = {"funnel": funnel, "win-rate": win_rate, "cycle-time": cycle_time, "time-in-status": time_in_status,
           "forecast": forecast, "throughput": throughput, "transitions": transitions}
