"""Server time of the journal page and the kanban board with 100,000 deals, beside no indexes.

Runs on SQLite and on PostgreSQL, one after the other. Seeds deals straight into the database (rows
only: the pages read rows, not workflows),
then times whole requests through the app (query, rendering, everything but the
network): a filtered, sorted journal page and the board with the first 50 cards
of each column. The baseline is the same pages after dropping the deals table's
secondary indexes, and, for the board, loading every card of every column.
Goals: journal page ≤ 15 ms, board ≤ 30 ms (server time, measured in-process).

Run: .venv/bin/python bench/web.py [--deals 100000] [--only sqlite|postgresql]
SQLite lives in a temporary folder; PostgreSQL in the database ``bench_web`` of the local server
(``--pg-server``), dropped and created anew.
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
RUNS = 15


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
        users.create_user("manager2", "manager", "secret123", "Manager 2")
        db.session.commit()
    return app


def seed(app, count):
    """Insert deals in batches, spread over the board's statuses, people, sources and dates."""
    from sqlalchemy import insert, text
    from engine.db import db
    from processes import directories, statuses, users
    from processes.models import Deal
    rng = random.Random(5)
    with app.app_context():
        model = statuses.current_model()
        codes = [s.code for s in model.statuses]
        people = [u.id for u in users.list_users()]
        sources = [s.id for s in directories.list_sources()]
        now = datetime(2026, 11, 28)
        batch = []
        for number in range(1, count + 1):
            code = rng.choice(codes)
            created = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
            batch.append({"number": number, "name": f"Сделка {number}", "company": f"ООО «Компания {number % 5000}»",
                          "budget": rng.randrange(0, 10_000_000), "responsible_id": rng.choice(people),
                          "created_at": created, "description": "Запрос на внедрение", "contact_name": "Иван",
                          "phone": "", "sender_email": f"c{number}@example.ru", "source_id": rng.choice(sources),
                          "site_email": "", "site_referrer": "", "ga_client_id": "", "ym_client_id": "",
                          "mail_message": "", "status": code, "stage": model.get(code).stage,
                          "status_changed_at": created, "version": 1})
            if len(batch) == 10_000:
                db.session.execute(insert(Deal), batch)
                batch = []
        if batch:
            db.session.execute(insert(Deal), batch)
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def time_get(client, url, runs=RUNS):
    """Median milliseconds of a GET over ``runs`` runs (after one warm-up)."""
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return round(statistics.median(times), 1)


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


def measure(url, deals):
    app = build_app(url)
    start = time.perf_counter()
    seed(app, deals)
    print(f"seeded {deals} deals in {time.perf_counter() - start:.1f} s")
    client = app.test_client()
    client.post("/login", data={"username": "manager", "password": "secret123"})
    figures = {"journal_ms": time_get(client, JOURNAL), "board_ms": time_get(client, BOARD)}
    figures["board_all_cards_ms"] = all_cards_board_ms(app, client)
    drop_deal_indexes(app)
    figures["journal_noindex_ms"] = time_get(client, JOURNAL)
    figures["board_noindex_ms"] = time_get(client, BOARD)
    with app.app_context():
        from engine.db import db
        db.engine.dispose()
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    result = {"deals": args.deals}
    with tempfile.TemporaryDirectory() as workdir:
        for backend in ("sqlite", "postgresql"):
            if args.only and backend != args.only:
                continue
            url = f"sqlite:///{workdir}/bench.db" if backend == "sqlite" else fresh_postgresql(args.pg_server)
            f = measure(url, args.deals)
            print(f"[{backend}] journal page (filtered, sorted): {f['journal_ms']} ms   without indexes: "
                  f"{f['journal_noindex_ms']} ms   goal ≤ {GOALS['journal_ms']}")
            print(f"[{backend}] kanban board (50 cards/column):  {f['board_ms']} ms   without indexes: "
                  f"{f['board_noindex_ms']} ms   all cards: {f['board_all_cards_ms']} ms   goal ≤ {GOALS['board_ms']}")
            result.update({f"{backend}_{k}": v for k, v in f.items()})
    result.update(load_avg=round(os.getloadavg()[0], 1), cpus=os.cpu_count())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
