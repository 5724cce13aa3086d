"""Acceptance through the `dealflow` command line: statuses, users, errors, export."""
import csv
import io
import json
from datetime import datetime, timezone

import pytest

from engine.db import db
from processes import statuses
from processes.models import User
from tests.paths import actor_for, shortest_path
from web.cli import main


@pytest.fixture
def dealflow(runner):
    """Run `dealflow ARGS…` against the test app; return the click result."""
    def run(*args):
        return runner.invoke(main, args=[str(a) for a in args])
    return run


def create(dealflow, *extra):
    result = dealflow("deals", "create", "--company", "ООО «Ромашка»", *extra)
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip().splitlines()[-1])


def assert_refused(result, code, *words):
    """Non-zero exit with a one-line reason on stderr."""
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def status_of(number):
    from processes.deals import get_deal
    db.session.rollback()  # see what the command committed
    return get_deal(number).status


def test_deal_numbers_are_printed_alone_on_the_last_line(dealflow, people, ctx):
    numbers = [create(dealflow, "--as", "manager", "--budget", "1000") for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_every_status_is_reachable(dealflow, people, ctx):
    model = statuses.current_model()
    moves = {s.code: model.allowed(s.code) for s in model.statuses}
    for target in (s.code for s in model.statuses):
        number = create(dealflow, "--responsible", "manager", "--as", "manager")
        path = shortest_path(moves, status_of(number), target)
        for current, nxt in zip(path, path[1:]):
            result = dealflow("deals", "move", number, nxt, "--as", actor_for(model.get(current).lane),
                              "--comment", "причина")
            assert result.exit_code == 0, result.output
            assert result.stdout.strip() == f"deal {number}: {nxt}"
        assert status_of(number) == target


def test_paths_to_completed_and_refusal(dealflow, people, ctx):
    won = create(dealflow, "--as", "manager")
    for status in ("firstContact", "identifyNeeds", "presentation", "offerPreparation", "decision"):
        assert dealflow("deals", "move", won, status, "--as", "manager").exit_code == 0
    assert_refused(dealflow("deals", "move", won, "completed", "--as", "manager"), 5, "director")
    assert dealflow("deals", "move", won, "completed", "--as", "director").exit_code == 0
    assert status_of(won) == "completed"

    lost = create(dealflow, "--as", "manager")
    assert dealflow("deals", "move", lost, "decision", "--as", "manager").exit_code == 0
    assert_refused(dealflow("deals", "move", lost, "refusal", "--as", "director"), 3, "comment")
    assert status_of(lost) == "decision"
    result = dealflow("deals", "move", lost, "refusal", "--as", "director", "--comment", "Ушли к конкуренту")
    assert result.exit_code == 0 and status_of(lost) == "refusal"


def test_another_managers_deal_is_refused(dealflow, people, ctx):
    number = create(dealflow, "--as", "manager")
    assert_refused(dealflow("deals", "move", number, "firstContact", "--as", "manager2"), 5, "another manager")
    assert status_of(number) == "new"


@pytest.mark.parametrize("args, code, words", [
    (("deals", "create", "--company", "X", "--budget", "много"), 3, ("budget",)),
    (("deals", "create", "--company", "X", "--budget", "-5"), 3, ("negative",)),
    (("deals", "create", "--company", "X", "--email", "not-an-email"), 3, ("sender_email",)),
    (("deals", "create", "--company", "X", "--responsible", "nobody"), 6, ("nobody",)),
    (("deals", "create", "--company", "X", "--source", "Голубиная почта"), 6, ("Голубиная почта",)),
    (("deals", "move", "999", "firstContact", "--as", "manager"), 6, ("999",)),
    (("deals", "move", "1", "completed", "--as", "manager"), 4, ("completed",)),
    (("users", "create", "manager", "--role", "manager"), 3, ("already exists",)),
    (("users", "token", "nobody"), 6, ("nobody",)),
])
def test_bad_input_exits_non_zero_with_one_line(dealflow, people, ctx, args, code, words):
    create(dealflow, "--as", "manager")
    assert_refused(dealflow(*args), code, *words)


def test_users_create_and_token(dealflow, client, ctx):
    result = dealflow("users", "create", "olga", "--role", "director", "--password", "s3cret-pass",
                      "--full-name", "Ольга Кузнецова")
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(username="olga").one()
    assert user.role == "director" and user.full_name == "Ольга Кузнецова"
    assert "s3cret-pass" not in user.password_hash and user.check_password("s3cret-pass")

    made = dealflow("users", "create", "ivan", "--role", "manager")
    password = made.stdout.strip().splitlines()[-1].split(": ", 1)[1]
    db.session.rollback()
    assert db.session.query(User).filter_by(username="ivan").one().check_password(password)

    token = dealflow("users", "token", "olga").stdout.strip()
    r = client.get("/api/v1/deals", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    newer = dealflow("users", "token", "olga").stdout.strip()
    assert client.get("/api/v1/deals", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/v1/deals", headers={"Authorization": f"Bearer {newer}"}).status_code == 200


def test_export_json_and_csv(dealflow, people, ctx):
    number = create(dealflow, "--as", "manager", "--budget", "1500.50", "--phone", "+7 (495) 123-45-67",
                    "--email", "buyer@example.com", "--source", "Телефон", "--description", "Пилот на 10 мест")
    assert dealflow("deals", "move", number, "old", "--as", "manager").exit_code == 0
    exported = json.loads(dealflow("deals", "export", "--format", "json").stdout)["deals"]
    assert len(exported) == 1  # archived deals are exported too
    deal = exported[0]
    for name in ("number", "name", "company", "counterparty_id", "budget", "responsible_id", "created_at",
                 "description", "contact_name", "phone", "sender_email", "source_id", "site_email",
                 "site_referrer", "ga_client_id", "ym_client_id", "mail_message", "status", "stage"):
        assert name in deal
    assert (deal["budget"], deal["status"], deal["source"], deal["responsible"]) == (
        "1500.50", "old", "Телефон", "manager")
    text = dealflow("deals", "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    # A phone's leading + is no formula: kept as typed, as the journal's CSV does.
    assert rows[0]["company"] == "ООО «Ромашка»" and rows[0]["phone"] == "+7 (495) 123-45-67"
    assert set(deal) - {"letters"} <= set(rows[0]), "every field of the JSON export is a CSV column"
    assert (rows[0]["budget"], rows[0]["status"], rows[0]["sender_email"], rows[0]["description"]) == (
        "1500.50", "old", "buyer@example.com", "Пилот на 10 мест")


def test_init_is_idempotent_and_process_list(dealflow, ctx):
    first = dealflow("init")
    assert first.exit_code == 0, first.output
    assert "process deal version 1" in first.stdout
    assert dealflow("init").stdout == first.stdout
    listed = [line for line in dealflow("process", "list").stdout.strip().splitlines() if line.startswith("deal\t")]
    assert len(listed) == 1 and listed[0].startswith("deal\tv1\t")


def test_demo_loads_people_and_deals_over_the_statuses_once(dealflow, ctx):
    result = dealflow("demo")
    assert result.exit_code == 0, result.output
    logins = [line for line in result.stdout.splitlines() if line.startswith("demo login: ")]
    assert {line.rsplit("(", 1)[1].rstrip(")") for line in logins} == {"manager", "director", "analyst", "admin"}
    exported = json.loads(dealflow("deals", "export").stdout)["deals"]
    assert 25 <= len(exported) <= 40
    model = statuses.current_model()
    assert {d["status"] for d in exported} == {s.code for s in model.statuses}
    # Made whole days ago: each «Дата создания» has the time of day of now (not shifted by the zone).
    now = datetime.now(timezone.utc)
    for deal in exported:
        created = datetime.fromisoformat(deal["created_at"])
        assert abs((now - created).total_seconds() % 86400 - 43200) > 43200 - 600, deal["created_at"]
    again = dealflow("demo")
    assert again.exit_code == 0 and "no demo data" in again.stdout
    assert len(json.loads(dealflow("deals", "export").stdout)["deals"]) == len(exported)
