"""Pipeline analytics with 100,000 deals and 1,000,000 history rows, beside a naive baseline, in one run.

Seeds deals and their histories (random walks through the deal diagram's statuses, some migrations,
closing in «Завершена» or «Отказ») straight into the tables, on PostgreSQL (its own database, reset
here) and on SQLite (a temporary file). Then, in interleaved rounds, times each API figure
(GET /api/v1/analytics/…, the whole request) beside the naive way: loading the deals and their history
through the ORM and counting in Python. Goal: every figure ≤ 200 ms on PostgreSQL and ≥ 20× the naive.
The period is the last quarter of two years of history (the page's default); ``--year`` times a year too.

Run: .venv/bin/python bench/analytics.py [--deals 100000] [--history 1000000] [--pg URL] [--no-sqlite]
The last line is one JSON object with the figures.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIGURES = ("funnel", "win-rate", "cycle-time", "time-in-status", "forecast", "throughput", "transitions")
END = datetime(2026, 11, 28)
YEARS = 2
STRETCH = 1.6  # walks end early (won, archived, the present): longer walks make up the rows asked for
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bench_analytics"
WALK = {  # a forward-leaning walk through the diagram's statuses
    "new": ["firstContact", "firstContact", "identifyNeeds", "presentation", "pause", "refusal"],
    "firstContact": ["identifyNeeds", "presentation", "new", "refusal", "pause"],
    "identifyNeeds": ["presentation", "offerPreparation", "firstContact", "refusal"],
    "presentation": ["offerPreparation", "prototype", "identifyNeeds", "refusal", "pause"],
    "offerPreparation": ["decision", "prototype", "presentation", "refusal"],
    "prototype": ["offerPreparation", "decision", "refusal"],
    "decision": ["completed", "offerPreparation", "refusal", "pause"],
    "pause": ["firstContact", "presentation", "refusal"],
    "refusal": ["firstContact", "presentation", "old"],
}


def build_app(url):
    import flask_migrate
    from engine.db import db
    from processes import users
    from processes.deploy import initialize
    from web import MIGRATIONS, create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="head")
        initialize(app.config["BPMN_DIR"])
        for name, role in (("director", "director"), ("manager", "manager"), ("manager2", "manager")):
            users.create_user(name, role, "secret123", name.title())
        token = users.issue_token("director")
        db.session.commit()
    return app, token


def reset_pg(url):
    """Create the bench's own database if missing and empty it."""
    from sqlalchemy import create_engine, text
    from web.config import database_url
    base, name = url.rsplit("/", 1)
    admin = create_engine(database_url(f"{base}/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def histories(count, rows, people, sources, stages):
    """(deal rows, history rows): ``count`` deals whose walks add up to about ``rows`` entries."""
    rng = random.Random(14)
    deals, entries = [], []
    per_deal = rows / count
    span = YEARS * 365 * 24 * 60
    for number in range(1, count + 1):
        created = END - timedelta(minutes=rng.randrange(0, span))
        steps = max(0, int(rng.gauss((per_deal - 1) * STRETCH, 3)))
        status, at, walk = "new", created, [(created, None, "new", "created")]
        for _ in range(steps):
            if status in ("completed", "old"):
                break
            at += timedelta(minutes=rng.randrange(30, 60 * 24 * 6))
            if at >= END:
                break
            if rng.random() < 0.03:
                walk.append((at, status, status, "migrated"))
                continue
            target = rng.choice(WALK[status])
            walk.append((at, status, target, "move"))
            status = target
        expected = (END.date() + timedelta(days=rng.randrange(-30, 200))) if rng.random() < 0.6 else None
        deals.append({"id": number, "number": number, "name": f"Сделка {number}", "company": f"ООО {number % 5000}",
                      "budget": rng.randrange(0, 10_000_000), "responsible_id": rng.choice(people),
                      "created_at": created, "source_id": rng.choice(sources), "status": status,
                      "stage": stages[status], "status_changed_at": walk[-1][0], "version": 1,
                      "expected_close": expected, "description": "", "contact_name": "", "phone": "",
                      "sender_email": "", "site_email": "", "site_referrer": "", "ga_client_id": "",
                      "ym_client_id": "", "mail_message": ""})
        changed = None  # when the deal's status last changed: an entry ending a stay keeps it (entered_at)
        for when, came, to, kind in walk:
            entered = changed if came is not None and came != to else None
            if came != to:
                changed = when
            entries.append({"deal_id": number, "at": when, "kind": kind, "from_status": came, "to_status": to,
                            "comment": "", "entered_at": entered})
    return deals, entries


def seed(app, count, rows):
    from sqlalchemy import insert, text
    from engine.db import db
    from processes import directories, statuses, users
    from processes.models import Deal, DealHistory
    with app.app_context():
        model = statuses.current_model()
        stages = {s.code: s.stage for s in model.statuses}
        deals, entries = histories(count, rows, [u.id for u in users.list_users() if u.role == "manager"],
                                   [s.id for s in directories.list_sources()], stages)
        if db.engine.dialect.name == "postgresql":
            copy(db, "deals", deals)
            copy(db, "deal_history", entries)
            db.session.execute(text("SELECT setval('deals_id_seq', (SELECT max(id) FROM deals))"))
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does to a live database
        else:
            for table, batch_rows in ((Deal, deals), (DealHistory, entries)):
                for start in range(0, len(batch_rows), 20_000):
                    db.session.execute(insert(table), batch_rows[start:start + 20_000])
            db.session.commit()
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        return len(deals), len(entries)


def copy(db, table, rows):
    """Rows into a PostgreSQL table with COPY (seeding only: the figures are timed through the app)."""
    columns = list(rows[0])
    cursor = db.session.connection().connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copying:
        for row in rows:
            copying.write_row([row[c] for c in columns])


# --- the naive way: the ORM loads the rows, Python counts --------------------------------------

def naive(figure, scope):
    """The figure as a loop would compute it: load the deals and entries involved, count in Python."""
    from sqlalchemy import select
    from engine.db import db
    from processes import analytics
    from processes.analytics.catalogue import REFUSED, WON, catalogue
    from processes.deal_record import STATUS_KINDS
    from processes.models import Deal, DealHistory
    from processes.records.history import stays
    cat = catalogue()
    start, end = scope.start, scope.end
    if figure == "forecast":
        found = db.session.scalars(select(Deal).where(Deal.status.in_(cat.open_codes()))).all()
        months = {}
        for deal in found:
            if deal.expected_close is None or scope.first <= deal.expected_close <= scope.last:
                key = deal.expected_close.strftime("%Y-%m") if deal.expected_close else ""
                row = months.setdefault(key, [0, 0, 0])
                row[0] += 1
                row[1] += float(deal.budget or 0)
                row[2] += float(deal.budget or 0) * (cat.percent.get(deal.status) or 0) / 100
        return months
    # The deals the period touches (created in it, or with an entry in it) and all their entries.
    touched = (select(DealHistory.deal_id).where(DealHistory.at >= start, DealHistory.at < end)
               .union(select(Deal.id).where(Deal.created_at >= start, Deal.created_at < end)))
    entries = db.session.scalars(select(DealHistory).where(DealHistory.deal_id.in_(touched))
                                 .order_by(DealHistory.deal_id, DealHistory.id)).all()
    by_deal = {}
    for entry in entries:
        by_deal.setdefault(entry.deal_id, []).append(entry)
    deals = {d.id: d for d in db.session.scalars(select(Deal).where(Deal.id.in_(touched)))}
    if figure == "funnel":
        tops = [max((cat.percent.get(e.to_status) or -1 for e in by_deal.get(d.id, [])), default=-1)
                for d in deals.values() if start <= d.created_at < end]
        return [sum(1 for t in tops if t >= p) for _, _, p in cat.stages]
    if figure in ("win-rate", "throughput"):
        closed = {}
        for deal_id, found in by_deal.items():
            for e in found:
                if e.to_status in (WON, REFUSED) and start <= e.at < end:
                    closed[deal_id] = closed.get(deal_id, False) or e.to_status == WON
        return sum(closed.values()), len(closed)
    if figure == "cycle-time":
        days = []
        for deal_id, found in by_deal.items():
            won = [e.at for e in found if e.to_status == WON]
            if won and start <= won[0] < end:
                days.append((won[0] - deals[deal_id].created_at).total_seconds())
        return statistics.median(days) if days else None
    durations = {}
    for found in by_deal.values():
        spans = stays(found, STATUS_KINDS)
        for stay, after in zip(spans, spans[1:]):
            if start <= stay.left < end:
                key = stay.status if figure == "time-in-status" else (stay.status, after.status)
                durations.setdefault(key, []).append((stay.left - stay.entered).total_seconds())
    assert analytics  # the same package answers the fast way
    return {key: statistics.median(values) for key, values in durations.items()}


def measure(app, token, period, rounds):
    """{figure: (fast ms, naive ms)}: medians over interleaved rounds."""
    from processes import analytics
    from processes import users
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    query = f"from={period[0].isoformat()}&to={period[1].isoformat()}"
    fast, slow = {f: [] for f in FIGURES}, {f: [] for f in FIGURES}
    for figure in FIGURES:  # warm-up
        assert client.get(f"/api/v1/analytics/{figure}?{query}", headers=headers).status_code == 200
    for round_ in range(rounds):
        for figure in FIGURES:
            began = time.perf_counter()
            response = client.get(f"/api/v1/analytics/{figure}?{query}", headers=headers)
            fast[figure].append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.json
            if round_ < max(1, rounds // 3):  # the naive way takes seconds: fewer rounds tell enough
                with app.app_context():
                    scope = analytics.parse_scope({"from": [query[5:15]], "to": [query[-10:]]},
                                                  users.get_by_username("director"))
                    began = time.perf_counter()
                    naive(figure, scope)
                    slow[figure].append((time.perf_counter() - began) * 1000)
                    from engine.db import db
                    db.session.remove()
    return {f: (round(statistics.median(fast[f]), 1), round(statistics.median(slow[f]), 1)) for f in FIGURES}


def run(name, url, args):
    began = time.perf_counter()
    app, token = build_app(url)
    deals, entries = seed(app, args.deals, args.history)
    print(f"{name}: seeded {deals} deals, {entries} history rows in {time.perf_counter() - began:.0f} s")
    periods = {"quarter": (END.date() - timedelta(days=89), END.date())}
    if args.year:
        periods["year"] = (END.date() - timedelta(days=364), END.date())
    result = {}
    for label, period in periods.items():
        for figure, (fast, slow) in measure(app, token, period, args.rounds).items():
            ratio = round(slow / fast, 1) if fast else None
            print(f"  {name} {label:7} {figure:15} {fast:8.1f} ms   naive {slow:9.1f} ms   ×{ratio}")
            result[f"{name}_{label}_{figure}_ms"] = fast
            result[f"{name}_{label}_{figure}_naive_ms"] = slow
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--pg", default=os.environ.get("DEALFLOW_BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--year", action="store_true", help="time a year's period too")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()} on {os.cpu_count()} cores")
    figures = {"deals": args.deals, "history": args.history, "load_before": round(os.getloadavg()[0], 2)}
    if not args.no_pg:
        reset_pg(args.pg)
        figures.update(run("pg", args.pg, args))
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as workdir:
            figures.update(run("sqlite", f"sqlite:///{workdir}/bench.db", args))
    fast = [v for k, v in figures.items() if k.startswith("pg_") and k.endswith("_ms") and "_naive" not in k]
    ratios = [figures[k.replace("_ms", "_naive_ms")] / v for k, v in figures.items()
              if k.startswith("pg_") and k.endswith("_ms") and "_naive" not in k and v]
    if fast:
        figures["pg_worst_ms"] = max(fast)
        figures["pg_least_ratio"] = round(min(ratios), 1)
    figures["load_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
