"""Mail intake: backlog throughput beside its two ceilings, and latency from APPEND to a committed deal.

Throughput (1,000 waiting letters on dovecot):
- the bare imap-tools bulk fetch (peek, no parsing beyond its own): the ceiling of the wire;
- dealflow's own fetch and parse of each letter, no database: the ceiling of this code;
- the full intake (fetch, parse, a deal started through the diagram's message start event, the raw .eml
  stored, one transaction per fetched group with its rows written together, then the flags), on SQLite
  and, when DEALFLOW_BENCH_PG_URL names a database (its tables are dropped and made again), on
  PostgreSQL, with where the time of a letter goes (parse, the workflow's message start — its rows'
  INSERT counted there and in SQL —, SQL, the rest) and the CPU time of this process per letter, and
  how long it was runnable but waiting for a core (Linux schedstat: on a shared machine, the load's share
  of the wall time).
Latency: letters APPENDed one by one at random intervals while `dealflow worker` runs, measured from the
APPEND to the moment the letter's row is visible committed (the database polled every 10 ms): p50/p99
with IDLE, and with IDLE off, polling at delay=5000 ms.

Run: .venv/bin/python bench/mail.py [--letters 1000] [--latency-letters 200] [--poll-letters 100]
(needs dovecot-imapd). The last line is one JSON object with the figures.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEALFLOW = str(Path(sys.executable).parent / "dealflow")
GAP = (0.05, 0.45)  # seconds between two APPENDs of the latency run, uniformly drawn


def letters(count, tag="bench"):
    for n in range(count):
        message = EmailMessage()
        message["From"] = f"Клиент {n} <client{n}@example.ru>"
        message["To"], message["Subject"] = "crm@example.ru", f"Заявка {n}"
        message["Message-ID"] = f"<{tag}-{n}@client.example.ru>"
        message.set_content(f"Здравствуйте! Нужна CRM на {n % 50 + 5} мест.\nТелефон: +7 900 000-{n:04d}")
        yield message.as_bytes()


def bare_fetch_per_s(server, user, password):
    with server.client(user, password) as box:
        started = time.perf_counter()
        fetched = sum(1 for _ in box.fetch(mark_seen=False, bulk=True))
        return fetched / (time.perf_counter() - started)


def fetch_parse_per_s(url, cafile, count):
    from mail import imap
    from mail.mailbox import parse_url
    from mail.parse import parse_letter
    from mail.siteform import DEFAULT_LABELS

    box = parse_url(url)
    client = imap.connect(box, cafile=cafile)
    try:
        started = time.perf_counter()
        parsed = sum(1 for _, raw in imap.fetch(client, imap.pending_uids(client, box))
                     if parse_letter(raw, DEFAULT_LABELS))
        elapsed = time.perf_counter() - started
    finally:
        client.logout()
    assert parsed == count, parsed
    return parsed / elapsed


class Breakdown:
    """Where the intake's time goes: parse, the workflow's message start, SQL (timed around each call)."""

    def __init__(self, engine):
        import mail.handling
        import processes.records.moves
        self.spent = {"parse": 0.0, "message start": 0.0, "sql": 0.0}
        self._patches = [(mail.handling, "parse_letter"), (processes.records.moves.workflow, "start_many")]
        self._originals = [getattr(module, name) for module, name in self._patches]
        for (module, name), original, key in zip(self._patches, self._originals, ("parse", "message start")):
            setattr(module, name, self._timed(original, key))
        self.engine, self._started = engine, {}
        from sqlalchemy import event
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _timed(self, function, key):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[key] += time.perf_counter() - started
        return timed

    def _before(self, conn, *_args):
        self._started[id(conn)] = time.perf_counter()

    def _after(self, conn, *_args):
        self.spent["sql"] += time.perf_counter() - self._started.pop(id(conn), time.perf_counter())

    def close(self):
        from sqlalchemy import event
        for (module, name), original in zip(self._patches, self._originals):
            setattr(module, name, original)
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def scheduled():
    """(seconds on a core, seconds runnable but waiting for one) of this thread so far; Linux only, else zeros.

    On a machine shared with other work the second is the part of the wall time that is the load, not
    dealflow: it is printed so a rate measured there can be read for what it is."""
    try:
        with open("/proc/thread-self/schedstat") as stat:
            on_core, waiting, _slices = stat.read().split()
    except OSError:
        return 0.0, 0.0
    return int(on_core) / 1e9, int(waiting) / 1e9


def dealflow_per_s(app, url, cafile, count):
    """Letters/s of the full intake, the CPU time it took, and the per-letter breakdown in ms."""
    from engine.db import db
    from mail.mailbox import parse_url
    from mail.poller import poll_once
    from processes.mail_models import Letter

    with app.app_context():
        breakdown = Breakdown(db.engine)
        queued = scheduled()[1]
        cpu, started = time.process_time(), time.perf_counter()
        result = poll_once(parse_url(url), cafile=cafile)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        queued = scheduled()[1] - queued
        breakdown.close()
        made = db.session.query(Letter).filter(Letter.outcome == "deal").count()
    assert made == count and result.failures == 0, (made, result.failures)
    per_letter = {key: 1000 * value / count for key, value in breakdown.spent.items()}
    per_letter["other"] = 1000 * elapsed / count - sum(per_letter.values())
    per_letter["waiting for a core"] = 1000 * queued / count  # inside the others, not added to them
    return count / elapsed, 1000 * cpu / count, per_letter


def postgresql_app(url):
    """The app on a PostgreSQL database emptied and migrated for the run."""
    import flask_migrate
    from sqlalchemy import create_engine, text
    from engine.db import db
    from processes.deploy import initialize
    from web import MIGRATIONS, create_app
    from web.config import database_url

    with create_engine(database_url(url)).begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BPMN_DIR": str(ROOT / "bpmn")})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="head")
        initialize(app.config["BPMN_DIR"])
        db.session.commit()
    return app


def latency(server, app, cafile, count, idle, tag):
    """Seconds from each APPEND to its letter's committed row, with `dealflow worker` running."""
    from sqlalchemy import create_engine, text

    user, password = server.take_user()
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], DEALFLOW_SECRET_KEY="bench",
               DEALFLOW_MAIL_INBOX_CRM=server.url(user, password, tls=False, delay=5000),
               DEALFLOW_MAIL_CA_FILE=cafile, DEALFLOW_BPMN_DIR=app.config["BPMN_DIR"],
               DEALFLOW_MAIL_IDLE="true" if idle else "false")
    worker = subprocess.Popen([DEALFLOW, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    appended, seen, stop = {}, {}, threading.Event()

    def watch():
        last = 0
        with engine.connect() as conn:
            while not stop.is_set():
                rows = conn.execute(text("SELECT id, message_id FROM letters WHERE id > :last"), {"last": last}).all()
                conn.rollback()
                now = time.perf_counter()
                for row_id, key in rows:
                    seen.setdefault(key, now)
                    last = max(last, row_id)
                time.sleep(0.01)
    watcher = threading.Thread(target=watch, daemon=True)
    try:
        time.sleep(3)  # the worker starts, connects and settles (IDLE, or its first poll)
        watcher.start()
        rng = random.Random(17)
        with server.client(user, password) as box:
            for n, raw in enumerate(letters(count, tag)):
                time.sleep(rng.uniform(*GAP))
                appended[f"<{tag}-{n}@client.example.ru>"] = time.perf_counter()
                box.append(raw, "INBOX", flag_set=())
        deadline = time.perf_counter() + 30
        while len(seen) < count and time.perf_counter() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.terminate()
        worker.wait()
        engine.dispose()
    missing = [key for key in appended if key not in seen]
    assert not missing, f"{len(missing)} letters never became rows"
    return sorted(seen[key] - appended[key] for key in appended)


def percentile(values, share):
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def main():
    from tests.mail.dovecot import Dovecot, available
    from bench.engine import dealflow_app

    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--latency-letters", type=int, default=200)
    parser.add_argument("--poll-letters", type=int, default=100)
    args = parser.parse_args()
    if not available():
        sys.exit("dovecot is not installed: apt-get install -y dovecot-imapd")
    pg_url = os.environ.get("DEALFLOW_BENCH_PG_URL")
    directory = tempfile.mkdtemp(prefix="dealflow-bench-")
    server = Dovecot(directory).start()
    figures, intake = {}, {}
    try:
        user, password = server.take_user()
        server.append(user, password, list(letters(args.letters)))
        bare = bare_fetch_per_s(server, user, password)
        parse = fetch_parse_per_s(server.url(user, password, tls=False), server.cafile, args.letters)
        with tempfile.TemporaryDirectory() as tmp:
            apps = {"sqlite": dealflow_app(Path(tmp))}
            if pg_url:
                apps["postgresql"] = postgresql_app(pg_url)
            for name, app in apps.items():
                user, password = server.take_user()
                server.append(user, password, list(letters(args.letters)))
                intake[name] = dealflow_per_s(app, server.url(user, password, tls=False), server.cafile, args.letters)
            for sub in ("idle", "poll"):
                (Path(tmp) / sub).mkdir()
            pushed = latency(server, dealflow_app(Path(tmp) / "idle"), server.cafile, args.latency_letters, True,
                             "idle")
            polled = latency(server, dealflow_app(Path(tmp) / "poll"), server.cafile, args.poll_letters, False,
                             "poll")
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
    print(f"bare imap-tools fetch : {bare:8.1f} letters/s (bulk, peek, same {args.letters} letters: the ceiling)")
    print(f"fetch + parse only    : {parse:8.1f} letters/s (dealflow's fetch and parse, no database)")
    for name, (rate, cpu, per_letter) in intake.items():
        parts = ", ".join(f"{key} {value:.2f}" for key, value in per_letter.items())
        print(f"dealflow intake {name:10}: {rate:8.1f} letters/s (fetch, parse, deal via message start, group commit, "
              f"flag), {rate / parse:.2f} of fetch + parse; CPU {cpu:.2f} ms/letter; wall ms/letter: {parts}")
    print(f"latency with IDLE     : p50 {percentile(pushed, 0.5):.3f} s, p90 {percentile(pushed, 0.9):.3f} s, "
          f"p99 {percentile(pushed, 0.99):.3f} s, {sum(v > 3 for v in pushed)} over 3 s "
          f"({len(pushed)} letters, APPEND to committed row)")
    print(f"latency polling 5 s   : p50 {percentile(polled, 0.5):.3f} s, p99 {percentile(polled, 0.99):.3f} s "
          f"({len(polled)} letters, IDLE off, delay=5000)")
    figures = {"letters_per_s": round(intake["sqlite"][0], 1), "bare_fetch_per_s": round(bare, 1),
               "fetch_parse_per_s": round(parse, 1), "latency_p50_s": round(percentile(pushed, 0.5), 3),
               "latency_p99_s": round(percentile(pushed, 0.99), 3),
               "poll_latency_p50_s": round(percentile(polled, 0.5), 3),
               "poll_latency_p99_s": round(percentile(polled, 0.99), 3)}
    for name, (rate, cpu, per_letter) in intake.items():
        figures[f"letters_per_s_{name}"] = round(rate, 1)
        figures[f"cpu_ms_per_letter_{name}"] = round(cpu, 2)
        figures[f"share_of_fetch_parse_{name}"] = round(rate / parse, 3)  # the load-independent figure
        figures.update({f"ms_{key.replace(' ', '_')}_{name}": round(value, 2) for key, value in per_letter.items()})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
