"""Mail intake throughput: letters per second from dovecot to committed deals, beside a bare fetch.

The ceiling is imap-tools fetching the same 1,000 letters in bulk (peek, no
parsing beyond its own). dealflow does the whole intake per letter: fetch,
parse with charset fallbacks, Message-ID check, a deal started through the
diagram's message start event, the raw .eml stored, commit, then the flag.
A second figure, dealflow's own fetch and parse of each letter with no
database at all, shows how much of the gap is parsing alone.

Run: .venv/bin/python bench/mail.py  (needs dovecot-imapd; SQLite in a temporary folder)
The last line is one JSON object with the figures.
"""
import json
import shutil
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LETTERS = 1000


def letters():
    for n in range(LETTERS):
        message = EmailMessage()
        message["From"] = f"Клиент {n} <client{n}@example.ru>"
        message["To"], message["Subject"] = "crm@example.ru", f"Заявка {n}"
        message["Message-ID"] = f"<bench-{n}@client.example.ru>"
        message.set_content(f"Здравствуйте! Нужна CRM на {n % 50 + 5} мест.\nТелефон: +7 900 000-{n:04d}")
        yield message.as_bytes()


def bare_fetch_per_s(server, user, password):
    with server.client(user, password) as box:
        started = time.perf_counter()
        fetched = sum(1 for _ in box.fetch(mark_seen=False, bulk=True))
        return fetched / (time.perf_counter() - started)


def fetch_parse_per_s(url, cafile):
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
    assert parsed == LETTERS, parsed
    return parsed / elapsed


def dealflow_per_s(app, url, cafile):
    from engine.db import db
    from mail.mailbox import parse_url
    from mail.poller import poll_once
    from processes.mailstore import Letter

    with app.app_context():
        started = time.perf_counter()
        result = poll_once(parse_url(url), cafile=cafile)
        elapsed = time.perf_counter() - started
        made = db.session.query(Letter).filter(Letter.outcome == "deal").count()
    assert made == LETTERS and result.failures == 0, (made, result.failures)
    return LETTERS / elapsed


def main():
    from tests.mail.dovecot import Dovecot, available
    from bench.engine import dealflow_app

    if not available():
        sys.exit("dovecot is not installed: apt-get install -y dovecot-imapd")
    directory = tempfile.mkdtemp(prefix="dealflow-bench-")
    server = Dovecot(directory).start()
    try:
        user, password = server.take_user()
        server.append(user, password, list(letters()))
        bare = bare_fetch_per_s(server, user, password)
        parse = fetch_parse_per_s(server.url(user, password, tls=False), server.cafile)
        with tempfile.TemporaryDirectory() as tmp:
            app = dealflow_app(Path(tmp))
            ours = dealflow_per_s(app, server.url(user, password, tls=False), server.cafile)
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
    print(f"bare imap-tools fetch : {bare:8.1f} letters/s (bulk, peek, same {LETTERS} letters: the ceiling)")
    print(f"fetch + parse only    : {parse:8.1f} letters/s (dealflow's fetch and parse, no database)")
    print(f"dealflow intake       : {ours:8.1f} letters/s (fetch, parse, deal via message start, commit, flag)")
    print(json.dumps({"letters_per_s": round(ours, 1), "bare_fetch_per_s": round(bare, 1),
                      "fetch_parse_per_s": round(parse, 1), "ratio": round(ours / bare, 3)}))


if __name__ == "__main__":
    main()
