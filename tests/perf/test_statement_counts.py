"""A page's SQL is the same with 10 deals as with 2,000: no per-row queries, counts counted by the database.

Each request's statements are counted with SQLAlchemy's ``before_cursor_execute`` event (after one
warm-up request, so one-off caches do not count), first with 10 deals, then with 2,000 spread over
statuses, people, sources and counterparties — some with history, assignments and claims.
Runs on the suite's database and, marked ``pg``, on PostgreSQL.
"""
import random
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from engine.db import db
from processes import deals, directories, moves, statuses, users
from tasks import assignments
from tests.conftest import bearer
from tests.web.conftest import login

STAFF = (("manager", "manager"), ("manager2", "manager"), ("director", "director"), ("admin", "admin"))
PAGES = {
    "journal": "/v2/journals?journalId=deals-journal",
    "journal sorted": "/v2/journals?journalId=deals-journal&sort=-budget&per_page=50",
    "kanban": "/v2/journals?journalId=deals-journal&viewMode=kanban",
    "card": "/deals/1",
    "my tasks": "/tasks",
    "group tasks": "/tasks/group",
}
API = {"api list": "/api/v1/deals?per_page=50", "api deal": "/api/v1/deals/1", "api tasks": "/api/v1/tasks"}


def _seed(app, upto):
    """Deals numbered up to ``upto``: varied owners, statuses, sources; a few moved or with an assignment."""
    rng = random.Random(upto)
    with app.app_context():
        people = [users.get_by_username(name) for name, _ in STAFF]
        sources = [s.id for s in directories.list_sources()]
        model = statuses.current_model()
        codes = [s.code for s in model.statuses if not s.final]
        due = (datetime.now() + timedelta(days=3)).isoformat(timespec="minutes")
        start = db.session.query(db.func.count(deals.Deal.id)).scalar()
        for number in range(start + 1, upto + 1):
            owner = rng.choice(people[:2])
            responsible = rng.choice([owner.id, people[1].id, ""])
            deal = deals.create_deal({"company": f"ООО «Компания {number % 37}»", "budget": rng.randrange(10**6),
                                      "source_id": rng.choice(sources), "responsible_id": responsible},
                                     owner, status=rng.choice(codes))
            targets = [code for code in model.allowed(deal.status) if code in codes]
            if number % 25 == 3 and targets:
                moves.move_deal(deal, rng.choice(targets), people[3], comment="дальше")
            if number % 40 == 5:
                assignments.create_assignment(deal, {"title": f"Звонок {number}", "performer": "manager",
                                                     "due_at": due}, owner)
        db.session.commit()


@contextmanager
def _counting(app):
    seen = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _statements(app, client, url, headers=None):
    assert client.get(url, headers=headers).status_code == 200, url  # warm-up: caches fill once
    with _counting(app) as seen:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return list(seen)


def _measure(app, clients, token):
    counts = {}
    for name, url in PAGES.items():
        counts[name] = _statements(app, clients["manager"], url)
    counts["group tasks (admin)"] = _statements(app, clients["admin"], PAGES["group tasks"])
    for name, url in API.items():
        counts[name] = _statements(app, clients["api"], url, bearer(token))
    return counts


def _check(app):
    with app.app_context():
        for username, role in STAFF:
            users.create_user(username, role, "secret123", username.title())
        db.session.commit()
        token = users.issue_token("manager")
        db.session.commit()
    clients = {"manager": login(app.test_client(), "manager"), "admin": login(app.test_client(), "admin"),
               "api": app.test_client()}
    _seed(app, 10)
    few = _measure(app, clients, token)
    _seed(app, 2000)
    many = _measure(app, clients, token)
    differing = {name: (len(few[name]), len(many[name])) for name in few if len(few[name]) != len(many[name])}
    if differing:
        from collections import Counter
        for name in differing:
            print("==", name, len(few[name]), len(many[name]))
            for statement, times in Counter(many[name]).most_common(4):
                print(times, statement[:300].replace("\n", " "))
    assert not differing, differing
    assert max(len(statements) for statements in many.values()) <= 20, {k: len(v) for k, v in many.items()}


def test_statements_per_request_do_not_grow_with_the_deals(app):
    _check(app)


@pytest.mark.pg
def test_statements_per_request_do_not_grow_with_the_deals_on_postgresql(app):
    _check(app)
