"""Rotting: a deal idle in a status longer than the diagram's ``rotDays`` is marked, filtered and digested."""
import re

import pytest

from engine.db import db
from mail import jobs
from processes import outbox, rotting, statuses
from tests.board.helpers import counted_sql, deploy_with, idle_for
from tests.web.helpers import make_deal, move

pytestmark = pytest.mark.usefixtures("staff")


def test_the_shipped_diagram_carries_rot_days_and_wip_limits(ctx):
    model = statuses.current_model()
    assert model.get("firstContact").rot_days == 3 and model.get("offerPreparation").wip_limit == 15
    assert model.get("pause").rot_days is None and model.get("completed").rot_days is None


def _numbers(html):
    return [int(n) for n in re.findall(r'<tr data-number="(\d+)"', html)]


def test_idle_deal_is_marked_on_card_board_and_journal_and_filtered(app, as_user):
    stale = make_deal(app, name="Забытая", status="firstContact")
    fresh = make_deal(app, name="Свежая", status="firstContact")
    paused = make_deal(app, name="На паузе", status="pause")  # no rotDays on «Пауза»
    idle_for(app, stale, 5)
    idle_for(app, fresh, 2)  # under the status's 3 days
    idle_for(app, paused, 40)
    manager = as_user("manager")
    journal = manager.get("/v2/journals?journalId=deals-journal").get_data(as_text=True)
    assert "простой 5 дней" in journal and journal.count('class="rot-mark"') == 1
    filtered = manager.get("/v2/journals?journalId=deals-journal&rotting=1").get_data(as_text=True)
    assert _numbers(filtered) == [stale] and 'id="filter-rotting" checked' in filtered
    board = manager.get("/v2/journals?journalId=deals-journal&viewMode=kanban").get_data(as_text=True)
    card = board[board.index(f'data-number="{stale}"'):]
    assert "простой 5 дней" in card[:card.index("</article>")]
    assert board.count('class="rot-mark"') == 1
    assert 'id="deal-rotting"' in manager.get(f"/deals/{stale}").get_data(as_text=True)
    assert 'id="deal-rotting"' not in manager.get(f"/deals/{fresh}").get_data(as_text=True)
    move(app, stale, "identifyNeeds")  # a move is activity: no longer idle
    assert "rot-mark" not in manager.get("/v2/journals?journalId=deals-journal").get_data(as_text=True)
    manager.get("/lang/en")
    idle_for(app, fresh, 2)
    assert "idle 4 days" in manager.get("/v2/journals?journalId=deals-journal&rotting=1").get_data(as_text=True)


def test_rot_days_come_from_the_deployed_diagram(app, as_user):
    number = make_deal(app, status="identifyNeeds")  # rotDays 7 as shipped
    idle_for(app, number, 3)
    manager = as_user("manager")
    assert _numbers(manager.get("/v2/journals?journalId=deals-journal&rotting=1").get_data(as_text=True)) == []
    deploy_with(app, "identifyNeeds", rotDays="2")
    assert _numbers(manager.get("/v2/journals?journalId=deals-journal&rotting=1").get_data(as_text=True)) == [number]


def test_pages_cost_the_same_sql_with_more_rotting_deals(app, as_user):
    manager = as_user("manager")  # the deals are manager2's: the header's task list stays as it is
    urls = ("/v2/journals?journalId=deals-journal", "/v2/journals?journalId=deals-journal&rotting=1",
            "/v2/journals?journalId=deals-journal&viewMode=kanban", f"/deals/{make_deal(app, owner='manager2', status='firstContact')}")

    def statements():
        result = []
        for url in urls:
            manager.get(url)  # warm: caches of the diagram
            with counted_sql(app) as count:
                assert manager.get(url).status_code == 200
            result.append(count[0])
        return result

    for _ in range(2):
        idle_for(app, make_deal(app, owner="manager2", status="firstContact"), 10)
    few = statements()
    for _ in range(8):
        idle_for(app, make_deal(app, owner="manager2", status="firstContact"), 10)
    assert statements() == few


def _smtp_on(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)  # a refused port: letters stay queued
    app.config["ROT_DIGEST_HOUR"] = 0  # the morning has come whatever the hour the test runs


@pytest.mark.parametrize("database", ["default", pytest.param("pg", marks=pytest.mark.pg)])
def test_morning_digest_once_a_day_per_manager_through_the_outbox(app, database):
    first = make_deal(app, name="Первая", status="firstContact")
    second = make_deal(app, name="Вторая", status="prototype", responsible_id="")
    theirs = make_deal(app, owner="manager2", status="firstContact")
    make_deal(app, status="firstContact")  # fresh: not in the digest
    idle_for(app, first, 4)
    idle_for(app, second, 30)
    idle_for(app, theirs, 9)
    with app.app_context():
        from processes import deals, users
        deal = deals.get_deal(second)
        deal.responsible = users.get_by_username("manager")
        for name in ("manager", "manager2"):
            users.get_by_username(name).email = f"{name}@example.test"
        db.session.commit()
        said = []
        assert jobs.queue_rotting_digests(said.append) == 0  # SMTP off: no digest
        _smtp_on(app)
        assert rotting.queue_digests(hour=24) == []  # before the morning hour: nothing yet
        assert jobs.queue_rotting_digests(said.append) == 2
        assert jobs.queue_rotting_digests(said.append) == 0  # once a day
        letters = {row.to_email: row for row in outbox.letters() if row.topic.startswith("rotting:")}
        assert set(letters) == {"manager@example.test", "manager2@example.test"}
        body = letters["manager@example.test"].body
        assert body.index(f"№ {second}") < body.index(f"№ {first}")  # the longest idle first
        assert "Прототип · 30 дн." in body and f"№ {theirs}" not in body
        assert letters["manager@example.test"].subject == "Зависшие сделки: 2"


def test_worker_pass_queues_the_digest(app, runner):
    idle_for(app, make_deal(app, status="firstContact"), 5)
    with app.app_context():
        from processes import users
        users.get_by_username("manager").email = "manager@example.test"
        db.session.commit()
    _smtp_on(app)
    from web.cli import main
    result = runner.invoke(main, args=["worker", "--once"])
    assert "rotting digest queued for manager@example.test" in result.output, result.output
    with app.app_context():
        assert [row.to_email for row in outbox.letters() if row.topic.startswith("rotting:")] == \
            ["manager@example.test"]


def test_the_api_filters_rotting_deals(app, client):
    stale = make_deal(app, status="firstContact")
    make_deal(app, status="firstContact")
    idle_for(app, stale, 6)
    with app.app_context():
        from processes import users
        token = users.issue_token("manager")
        db.session.commit()
    body = client.get("/api/v1/deals?rotting=1", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [deal["number"] for deal in body["deals"]] == [stale]
