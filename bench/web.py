"""Server time of the journal page and the kanban board with 100,000 deals, beside no indexes.

Runs on SQLite and on PostgreSQL, one after the other. Seeds deals straight into the database (rows
only: the pages read rows, not workflows), each with a primary contact, and 300,000 activities spread
over deals and owners (done, open, overdue), then times whole requests through the app (query,
rendering, everything but the network): a filtered, sorted journal page, the board with the first 50
cards of each column, a deal card and «Мои задачи». Each figure is the median wall time and, beside
it, the median CPU time of this process (``time.process_time``): on a shared machine the wall time
includes waiting for a core, the CPU time does not (PostgreSQL's own work is in neither on its side). The baseline is the same pages after dropping the deals table's
secondary indexes, and, for the board, loading every card of every column. Then a manager's own board (filtered
by responsible) for a manager given half the deals of three statuses and the oldest of another, beside the
same board on the schema before migration 0025 (its downgrade).
Goals: journal page ≤ 15 ms, board ≤ 30 ms (server time, measured in-process).
Beside the journal and the board, the stack's floor for the same page (bench/page_floor_app.py: the least
Flask + Flask-SQLAlchemy + Jinja + Flask-Babel/Flask-Login do for it on the same database), timed in the same
rounds, each round's two requests in alternating order so background load favours neither; and the board's
totals alone, both ways in alternating rounds: from the running totals the board reads (a few rows kept by
triggers on ``deals``, folded after seeding as ``dealflow worker`` does on every pass) and counted by the grouped
query over every deal they replaced (which the floor's board still runs, and which grows with the deals).

Run: .venv/bin/python bench/web.py [--deals 100000] [--activities 300000] [--only sqlite|postgresql]
SQLite lives in a temporary folder; PostgreSQL in the database ``--database`` (``bench_web``) of the
local server (``--pg-server``), dropped and created anew.
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
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JOURNAL = "/v2/journals?journalId=deals-journal&status=identifyNeeds&sort=-budget&budget_min=1000"
BOARD = "/v2/journals?journalId=deals-journal&viewMode=kanban"
OWN_BOARD = BOARD + "&responsible={id}"  # a manager's own board
CARD = "/deals/{number}"
TASKS = "/tasks"
FLOOR_JOURNAL = "/journal?status=identifyNeeds&budget_min=1000"  # the floor app's JOURNAL: same rows, same sort
FLOOR_BOARD = "/board"
RUNS = 15
WARM_UP = 6
MANAGERS = 10  # owners of deals and activities: the seeded "manager" and nine more


GOALS = {"journal_ms": 15, "board_ms": 30}


def fresh_postgresql(server, name="bench_web"):
    import psycopg
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def build_app(url):
    import flask_migrate
    from engine.db import db
    from processes import users
    from processes.deploy import initialize
    from web import MIGRATIONS, create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="head")
        initialize(app.config["BPMN_DIR"])
        users.create_user("manager", "manager", "secret123", "Manager")
        for n in range(2, MANAGERS + 1):
            users.create_user(f"manager{n}", "manager", "secret123", f"Manager {n}")
        db.session.commit()
    return app


def seed(app, count, activity_count):
    """Insert deals (each with its primary contact) and activities in batches of plain rows, spread over
    the board's statuses, people, sources and dates; activities: ~60 % done, ~30 % planned, ~10 % overdue."""
    from sqlalchemy import insert, text
    from engine import clock
    from engine.db import db
    from processes import board, directories, statuses, users
    from processes.activity_models import ACTIVITY_KINDS, Activity
    from processes.contact_models import Contact
    from processes.models import Deal
    rng = random.Random(5)
    with app.app_context():
        model = statuses.current_model()
        codes = [s.code for s in model.statuses]
        people = [u.id for u in users.list_users()]
        sources = [s.id for s in directories.list_sources()]
        now = datetime(2026, 11, 28)
        responsible = {}
        deals, contacts = [], []

        def flush():
            db.session.execute(insert(Contact.__table__), contacts)
            db.session.execute(insert(Deal.__table__), deals)
            contacts.clear()
            deals.clear()
        for number in range(1, count + 1):
            code = rng.choice(codes)
            created = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
            responsible[number] = rng.choice(people)
            contacts.append({"id": number, "name": f"Иван Петров {number}", "position": "Директор",
                             "phone": "+7 900 000-00-00", "email": f"c{number}@example.ru",
                             "counterparty_id": None, "created_at": created})
            deals.append({"id": number, "number": number, "name": f"Сделка {number}",
                          "company": f"ООО «Компания {number % 5000}»",
                          "budget": rng.randrange(0, 10_000_000), "responsible_id": responsible[number],
                          "created_at": created, "description": "Запрос на внедрение", "contact_name": "Иван",
                          "phone": "", "sender_email": f"c{number}@example.ru", "source_id": rng.choice(sources),
                          "contact_id": number,
                          "site_email": "", "site_referrer": "", "ga_client_id": "", "ym_client_id": "",
                          "mail_message": "", "status": code, "stage": model.get(code).stage,
                          "status_changed_at": created, "version": 1})
            if len(deals) == 10_000:
                flush()
        if deals:
            flush()
        today = clock.now().replace(microsecond=0)
        batch = []
        for _ in range(activity_count):
            deal = rng.randrange(1, count + 1)
            owner = responsible[deal] if rng.random() < 0.8 else rng.choice(people)
            roll = rng.random()
            if roll < 0.6:    # done, some time ago
                due = today - timedelta(minutes=rng.randrange(60, 60 * 24 * 180))
                done = due + timedelta(minutes=rng.randrange(0, 60 * 24))
            elif roll < 0.9:  # planned
                due, done = today + timedelta(minutes=rng.randrange(60, 60 * 24 * 30)), None
            else:             # overdue
                due, done = today - timedelta(minutes=rng.randrange(60, 60 * 24 * 30)), None
            batch.append({"deal_id": deal, "kind": rng.choice(ACTIVITY_KINDS), "summary": "Созвониться о КП",
                          "due_at": due, "owner_id": owner, "created_by_id": owner,
                          "created_at": due - timedelta(days=3), "done_at": done,
                          "outcome": "Договорились" if done else "", "reminded_at": done, "version": 1})
            if len(batch) == 20_000:
                db.session.execute(insert(Activity.__table__), batch)
                batch = []
        if batch:
            db.session.execute(insert(Activity.__table__), batch)
        if db.engine.dialect.name == "postgresql":  # the rows came with their ids: move the sequences on
            for table in ("deals", "contacts"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})"))
        db.session.commit()
        board.fold_totals()  # as `dealflow worker` does on every pass: the board's totals in a few rows
    # Statistics, and the visibility map without which PostgreSQL cannot answer the board's counts from an index.
    analyze(app)


def seed_narrow_manager(app):
    """A manager («narrow») given every other deal of three statuses (some 13,000) and the oldest in «firstContact»:
    on their own board, that column holds one old deal of theirs under some 9,000 newer ones of others', and most
    hold none. Their id."""
    from sqlalchemy import text
    from engine.db import db
    from processes import board, users
    with app.app_context():
        narrow, _ = users.create_user("narrow", "manager", "secret123", "Narrow")
        db.session.execute(text(
            "UPDATE deals SET responsible_id = :narrow WHERE id IN (SELECT id FROM deals WHERE status IN "
            "('new', 'presentation', 'decision') AND number % 2 = 0) "
            "OR id = (SELECT id FROM deals WHERE status = 'firstContact' ORDER BY number LIMIT 1)"),
            {"narrow": narrow.id})
        db.session.commit()
        board.fold_totals()  # the moved deals' running totals, as `dealflow worker` folds them on every pass
        narrow_id = narrow.id
    analyze(app)
    return narrow_id


def analyze(app):
    """What autovacuum does soon after a bulk load or a new index: statistics and the visibility map."""
    from sqlalchemy import text
    from engine.db import db
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def without_0025(app):
    """The schema before migration 0025 (its downgrade: the responsible's index without the number), for the own
    board beside it."""
    import flask_migrate
    from web import MIGRATIONS
    with app.app_context():
        from engine.db import db
        db.session.remove()
        flask_migrate.downgrade(directory=MIGRATIONS, revision="0024_deal_touched")
    analyze(app)


def warm_up(client, url):
    """A few requests first, as a server in steady use has had: its pooled connection holds the statements
    psycopg prepares on a statement's sixth run (engine.db.keep_prepared_statements)."""
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url


def time_get(client, url, runs=RUNS):
    """Median wall and CPU milliseconds of a GET over ``runs`` runs (after ``warm_up``)."""
    warm_up(client, url)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return round(statistics.median(wall), 1), round(statistics.median(cpu), 1)


def time_beside(client, url, floor_client, floor_url, runs=RUNS):
    """``time_get`` of our page and of its floor, in the same rounds: ((wall, CPU) ours, (wall, CPU) floor)."""
    warm_up(client, url)
    warm_up(floor_client, floor_url)
    times = {url: ([], []), floor_url: ([], [])}
    for round_ in range(runs):
        for who, page in ((client, url), (floor_client, floor_url))[::1 if round_ % 2 else -1]:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = who.get(page)
            times[page][0].append((time.perf_counter() - start) * 1000)
            times[page][1].append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200
    return [tuple(round(statistics.median(figures), 1) for figures in times[page]) for page in (url, floor_url)]


def floor_client(url, app):
    """A logged-in client of bench/page_floor_app.py on the same database, with the deployed diagram's statuses."""
    from bench import page_floor_app
    from processes import statuses
    with app.test_request_context():  # labels in the reader's language, as the pages show them
        model = statuses.current_model()
        board_statuses = [(s.code, s.label, s.percent, s.archive) for s in model.statuses]
    client = page_floor_app.create_app(url, board_statuses).test_client()
    assert client.post("/login", data={"username": "manager"}).status_code == 200
    return client


def totals_query_ms(app, runs=RUNS):
    """Median wall and CPU ms of the board's totals for the unfiltered board, read both ways in alternating
    rounds: {"running": (wall, CPU)} from the running totals (what the board reads), {"counted": …} by the
    grouped query over every deal (what it read before, and still reads for other filters)."""
    from engine.db import db
    from processes import board, journal, statuses
    with app.app_context():
        model, filters = statuses.current_model(), journal.Filters()
        ways = {"running": journal.running_totals, "counted": board.counted_totals}
        assert ways["running"](filters, model) == ways["counted"](filters, model)
        db.session.rollback()
        times = {name: ([], []) for name in ways}
        for round_ in range(runs):
            for name, way in list(ways.items())[::1 if round_ % 2 else -1]:
                start, start_cpu = time.perf_counter(), time.process_time()
                way(filters, model)
                times[name][0].append((time.perf_counter() - start) * 1000)
                times[name][1].append((time.process_time() - start_cpu) * 1000)
                db.session.rollback()
    return {name: tuple(round(statistics.median(figures), 1) for figures in times[name]) for name in ways}


def drop_deal_indexes(app):
    from sqlalchemy import inspect, text
    from engine.db import db
    with app.app_context():
        for index in inspect(db.engine).get_indexes("deals"):
            if not index["unique"]:
                db.session.execute(text(f'DROP INDEX "{index["name"]}"'))
        db.session.commit()


def all_cards_board_ms(app, client):
    """The naive board: every card of every column rendered at once."""
    from processes import board
    original = board.load_board
    board.load_board = lambda filters, model=None, limit=None, user=None: original(filters, model, 10**9, user)
    try:
        return time_get(client, BOARD, runs=1)  # tens of seconds a request: one tells enough
    finally:
        board.load_board = original


def profile(client, url):
    """One request under pyinstrument (``--profile``; pip install pyinstrument): where its time goes."""
    from pyinstrument import Profiler
    with Profiler(interval=0.0005) as profiler:
        client.get(url)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def measure(url, deals, activities, profiling=False):
    app = build_app(url)
    start = time.perf_counter()
    seed(app, deals, activities)
    print(f"seeded {deals} deals with contacts and {activities} activities in {time.perf_counter() - start:.1f} s")
    client = app.test_client()
    client.post("/login", data={"username": "manager", "password": "secret123"})
    floor = floor_client(url, app)
    figures = {}
    for name, page, floor_page in (("journal", JOURNAL, FLOOR_JOURNAL), ("board", BOARD, FLOOR_BOARD)):
        (figures[f"{name}_ms"], figures[f"{name}_cpu_ms"]), (figures[f"{name}_floor_ms"],
                                                            figures[f"{name}_floor_cpu_ms"]) = \
            time_beside(client, page, floor, floor_page)
    totals = totals_query_ms(app)
    figures["board_totals_ms"], figures["board_totals_cpu_ms"] = totals["running"]
    figures["board_totals_counted_ms"], figures["board_totals_counted_cpu_ms"] = totals["counted"]
    for name, page in (("card", CARD.format(number=deals // 2)), ("tasks", TASKS)):
        figures[f"{name}_ms"], figures[f"{name}_cpu_ms"] = time_get(client, page)
    if profiling:
        for page in (JOURNAL, BOARD):
            profile(client, page)
    figures["board_all_cards_ms"] = all_cards_board_ms(app, client)[0]
    narrow, own = seed_narrow_manager(app), app.test_client()
    own.post("/login", data={"username": "narrow", "password": "secret123"})
    figures["own_board_ms"], figures["own_board_cpu_ms"] = time_get(own, OWN_BOARD.format(id=narrow))
    without_0025(app)
    figures["own_board_before_0025_ms"], _cpu = time_get(own, OWN_BOARD.format(id=narrow))
    drop_deal_indexes(app)
    figures["journal_noindex_ms"] = time_get(client, JOURNAL)[0]
    figures["board_noindex_ms"] = time_get(client, BOARD)[0]
    with app.app_context():
        from engine.db import db
        db.engine.dispose()
    return figures


def ratio(ours, floor):
    return round(ours / floor, 2) if floor else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=300_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_web", help="PostgreSQL database, dropped and created anew")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of a journal and a board request")
    args = parser.parse_args()
    result = {"deals": args.deals, "activities": args.activities}
    with tempfile.TemporaryDirectory() as workdir:
        for backend in ("sqlite", "postgresql"):
            if args.only and backend != args.only:
                continue
            url = (f"sqlite:///{workdir}/bench.db" if backend == "sqlite"
                   else fresh_postgresql(args.pg_server, args.database))
            f = measure(url, args.deals, args.activities, args.profile)
            print(f"[{backend}] journal page (filtered, sorted): {f['journal_ms']} ms (CPU {f['journal_cpu_ms']})   "
                  f"without indexes: {f['journal_noindex_ms']} ms   goal ≤ {GOALS['journal_ms']}")
            print(f"[{backend}] kanban board (50 cards/column):  {f['board_ms']} ms (CPU {f['board_cpu_ms']})   "
                  f"without indexes: {f['board_noindex_ms']} ms   all cards: {f['board_all_cards_ms']} ms   "
                  f"goal ≤ {GOALS['board_ms']}")
            for page in ("journal", "board"):
                print(f"[{backend}] {page} beside the stack floor: ours {f[page + '_ms']} ms (CPU "
                      f"{f[page + '_cpu_ms']})   floor {f[page + '_floor_ms']} ms (CPU {f[page + '_floor_cpu_ms']})   "
                      f"ours/floor {ratio(f[page + '_ms'], f[page + '_floor_ms'])} "
                      f"(CPU {ratio(f[page + '_cpu_ms'], f[page + '_floor_cpu_ms'])})")
            print(f"[{backend}] board totals alone (count, budget sum per status): running totals "
                  f"{f['board_totals_ms']} ms (CPU {f['board_totals_cpu_ms']})   counted over the deals "
                  f"{f['board_totals_counted_ms']} ms (CPU {f['board_totals_counted_cpu_ms']})")
            print(f"[{backend}] deal card: {f['card_ms']} ms (CPU {f['card_cpu_ms']})   "
                  f"«Мои задачи»: {f['tasks_ms']} ms (CPU {f['tasks_cpu_ms']})")
            print(f"[{backend}] a manager's own board (half of three statuses' deals, the oldest of another): "
                  f"{f['own_board_ms']} ms (CPU {f['own_board_cpu_ms']})   before migration 0025: "
                  f"{f['own_board_before_0025_ms']} ms")
            result.update({f"{backend}_{k}": v for k, v in f.items()})
    result.update(load_avg=round(os.getloadavg()[0], 1), cpus=os.cpu_count())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
