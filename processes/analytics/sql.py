"""The dialect-specific expressions of analytics (PostgreSQL and SQLite) and the stays of deals.

Percentiles are continuous (interpolated) as PostgreSQL's ``percentile_cont``; SQLite has no such
aggregate, so there they are read from window functions: each value's rank in its group and the
group's size pick the one or two values around the percentile's position, interpolated in SQL.
"""
from sqlalchemy import case, cast, func, literal_column, select

from engine.db import db
from processes.models import Deal, DealHistory

PERCENTILES = (("p50", 0.5), ("p90", 0.9))


def is_pg():
    return db.session.get_bind().dialect.name == "postgresql"


def prepare():
    """Settings of this transaction for aggregation over many rows (PostgreSQL): no JIT, sorts in memory.

    JIT compiling costs more than it saves on these sub-second queries; the medians sort ~10⁵ values.
    """
    if is_pg():
        db.session.execute(select(func.set_config("jit", "off", True), func.set_config("work_mem", "64MB", True)))


def seconds(later, earlier):
    """Seconds from ``earlier`` to ``later`` (stored naive UTC times) as a float."""
    if is_pg():
        return func.date_part("epoch", later - earlier)  # double precision (extract: numeric, slower)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def shifted(moment, offset_seconds):
    """A stored UTC time moved by the server zone's offset (whole seconds we computed, never user text)."""
    offset = int(offset_seconds)
    if is_pg():
        return moment + literal_column(f"interval '{offset} seconds'")
    return func.datetime(moment, f"{offset:+d} seconds")


def week_of(moment, offset_seconds):
    """The Monday (YYYY-MM-DD) of the local week a stored time falls in."""
    local = shifted(moment, offset_seconds)
    if is_pg():
        return func.to_char(func.date_trunc("week", local), "YYYY-MM-DD")
    return func.date(local, "weekday 0", "-6 days")


def month_of(day):
    """YYYY-MM of a date column."""
    if is_pg():
        return func.to_char(day, "YYYY-MM")
    return func.strftime("%Y-%m", day)


def percentiles(source, value, groups=()):
    """A select over subquery ``source``: ``groups``, n, p50, p90 of ``value`` (columns of ``source``)."""
    if is_pg():
        return (select(*groups, func.count().label("n"),
                       *[func.percentile_cont(p).within_group(value).label(name) for name, p in PERCENTILES])
                .group_by(*groups))
    partition = list(groups) or None
    ranked = select(*groups, value.label("v"),
                    func.row_number().over(partition_by=partition, order_by=value).label("rn"),
                    func.count().over(partition_by=partition).label("n")).subquery()
    keys = [ranked.c[g.key] for g in groups]
    picks = []
    for name, p in PERCENTILES:
        position = 1 + p * (ranked.c.n - 1)
        below = cast(position, db.Integer)  # floor: positions are positive
        picks += [func.max(case((ranked.c.rn == below, ranked.c.v))).label(f"{name}_lo"),
                  func.max(case((ranked.c.rn == below + 1, ranked.c.v))).label(f"{name}_hi")]
    grouped = select(*keys, func.max(ranked.c.n).label("n"), *picks).group_by(*keys).subquery()
    result = []
    for name, p in PERCENTILES:
        position = 1 + p * (grouped.c.n - 1)
        low, high = grouped.c[f"{name}_lo"], grouped.c[f"{name}_hi"]
        result.append((low + (position - cast(position, db.Integer)) * (func.coalesce(high, low) - low))
                      .label(name))
    return select(*[grouped.c[g.key] for g in groups], grouped.c.n, *result)


def stays(scope):
    """A subquery of the stays of the scope's deals that ended in its period, across versions.

    Columns: deal_id, status, next_status, entered, left_at, seconds. A stay ends with an entry that
    changes the status (of ``STATUS_KINDS``, from one status to another: a migration or a retry that
    keeps the status is no change, the stay goes on) and began at the deal's previous change (its
    creation included). Such an entry keeps when that was (``entered_at``, written with it), so the
    stays of a period are a range of ``ix_deal_history_stays``.
    """
    h = DealHistory
    found = (select(h.deal_id, h.from_status.label("status"), h.to_status.label("next_status"),
                    h.entered_at.label("entered"), h.at.label("left_at"),
                    seconds(h.at, h.entered_at).label("seconds"))
             .where(h.at >= scope.start, h.at < scope.end, h.entered_at.is_not(None)))
    if scope.deal_conditions():
        found = found.join(Deal, Deal.id == h.deal_id).where(*scope.deal_conditions())
    return found.subquery()
