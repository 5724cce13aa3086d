"""Deals stuck in a process error: a failing script keeps the deal stuck, the dashboard lists it, a retry moves it on."""
import html
import re

import pytest

from tests import hostile
from tests.analyst import diagrams
from tests.conftest import bearer

XML = {"Content-Type": "application/xml"}
STUCK_REASON = "name 'weight' is not defined"


@pytest.fixture
def api(app, staff):
    """API tokens of the staff (made without keeping an app context open) and a client."""
    from engine.db import db
    from processes import users
    with app.app_context():
        made = {name: users.issue_token(name) for name in ("manager", "director", "analyst", "admin")}
        db.session.commit()
    return made, app.test_client()


def deploy(as_user, source):
    r = as_user("analyst").post("/processes/deploy", data=source, headers=XML)
    assert r.status_code == 201, r.json
    return r.json["processes"][0]["version"]


def create(api, company, status):
    tokens, client = api
    r = client.post("/api/v1/deals", json={"company": company, "status": status}, headers=bearer(tokens["manager"]))
    assert r.status_code == 201, r.json
    return r.json["number"]


def move(api, number, status, who="manager"):
    tokens, client = api
    return client.post(f"/api/v1/deals/{number}/move", json={"status": status}, headers=bearer(tokens[who]))


def read(api, number):
    tokens, client = api
    deal = client.get(f"/api/v1/deals/{number}", headers=bearer(tokens["manager"])).json
    history = client.get(f"/api/v1/deals/{number}/history", headers=bearer(tokens["manager"])).json
    return deal, history["history"] if isinstance(history, dict) else history


def workflow_row(app, number):
    from processes import deals
    with app.app_context():
        row = deals.get_deal(number).workflow
        return row.status, row.error_node, row.error


def test_a_failing_script_sticks_the_deal_until_a_retry_with_corrected_data(app, as_user, api):
    assert deploy(as_user, diagrams.with_failing_script()) == 2
    stuck = create(api, "ООО «Оценка»", "firstContact")
    passing = create(api, "ООО «Мимо»", "firstContact")
    # The script fails only on the way to «Презентация»: another move goes through it untouched.
    assert move(api, passing, "identifyNeeds").status_code == 200

    r = move(api, stuck, "presentation")
    assert r.status_code == 409 and r.json["error"] == "process_failed" and r.json["element_id"] == "scoring"
    assert STUCK_REASON in r.json["message"]
    deal, history = read(api, stuck)
    assert (deal["status"], deal["process_version"]) == ("firstContact", 2)  # the deal keeps its last status
    assert history[-1]["kind"] == "error" and STUCK_REASON in history[-1]["comment"]
    assert workflow_row(app, stuck)[:2] == ("error", "scoring")
    # Stuck: no move is taken until the retry, and the card says why.
    r = move(api, stuck, "identifyNeeds")
    assert r.status_code == 409 and "is stuck" in r.json["message"]
    card = html.unescape(as_user("manager").get(f"/deals/{stuck}").get_data(as_text=True))
    assert 'id="deal-stuck"' in card and "Оценка" in card and 'id="change-status"' not in card

    page = html.unescape(as_user("analyst").get("/processes/deal/v2/dashboard").get_data(as_text=True))
    assert 'id="no-stuck"' not in page and f'<li class="card" data-number="{stuck}" data-node="scoring">' in page
    assert STUCK_REASON in page and f'action="/processes/deal/{stuck}/retry"' in page
    assert '"next_status": "presentation"' in page  # the failed task's data, to correct
    director = html.unescape(as_user("director").get("/processes/deal/v2/dashboard").get_data(as_text=True))
    assert STUCK_REASON in director and "/retry" not in director  # directors watch, analysts retry

    # Retrying as it was fails again, and says so; the deal stays stuck.
    r = as_user("analyst").post(f"/processes/deal/{stuck}/retry", data={"data": ""}, follow_redirects=True)
    assert r.status_code == 200 and STUCK_REASON in html.unescape(r.get_data(as_text=True))
    assert workflow_row(app, stuck)[0] == "error"
    # With the data corrected the script passes and the deal goes on to «Презентация».
    data = re.search(r'<textarea name="data"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    fixed = data.rstrip().rstrip("}") + ', "weight": 4}'
    r = as_user("analyst").post(f"/processes/deal/{stuck}/retry", data={"data": fixed})
    assert r.status_code == 302 and r.headers["Location"].endswith("/processes/deal/v2/dashboard")
    deal, history = read(api, stuck)
    assert deal["status"] == "presentation" and history[-1]["kind"] == "retry"
    assert (history[-1]["from"], history[-1]["to"]) == ("firstContact", "presentation")
    assert workflow_row(app, stuck) == ("running", None, None)
    assert move(api, stuck, "offerPreparation").status_code == 200
    assert 'id="no-stuck"' in as_user("analyst").get("/processes/deal/v2/dashboard").get_data(as_text=True)

    # The card's diagram shows the way it took, through the script, and the time in each status.
    shown = as_user("manager").get(f"/processes/deal/{stuck}/diagram.json").json
    assert shown["path"] == ["firstContact", "presentation", "offerPreparation"] and shown["failed"] is None
    assert {"Flow_firstContact_route", "Flow_scoring_route", "Flow_route_presentation"} <= set(shown["flows"])
    assert {"start", "route", "scoring"} <= set(shown["visited"])
    assert set(shown["seconds"]) == {"firstContact", "presentation", "offerPreparation"}


def test_only_analysts_and_admins_retry(app, as_user, api):
    from engine.db import db
    from processes import failures, users
    from processes.errors import Forbidden
    deploy(as_user, diagrams.with_failing_script())
    number = create(api, "ООО «Права»", "firstContact")
    assert move(api, number, "presentation").status_code == 409
    tokens, client = api
    for who in ("manager", "director"):
        assert as_user(who).post(f"/processes/deal/{number}/retry", data={}).status_code == 403
        r = client.post(f"/api/v1/deals/{number}/retry", json={}, headers=bearer(tokens[who]))
        assert r.status_code == 403 and r.json["error"] == "forbidden"
        with app.app_context():
            with pytest.raises(Forbidden):
                failures.retry_deal(number, users.get_by_username(who))
            db.session.rollback()
    assert workflow_row(app, number)[0] == "error"
    # The API lists it and retries it as well (the admin here).
    listed = client.get("/api/v1/processes/deal/stuck", headers=bearer(tokens["analyst"])).json["deals"]
    assert [(d["number"], d["node_id"], d["data"]["next_status"]) for d in listed] == \
        [(number, "scoring", "presentation")]
    r = client.post(f"/api/v1/deals/{number}/retry", json={"data": {**listed[0]["data"], "weight": 5}},
                    headers=bearer(tokens["admin"]))
    assert r.status_code == 200 and r.json["proceeded"] is True and r.json["status"] == "presentation"
    r = client.post(f"/api/v1/deals/{number}/retry", json={}, headers=bearer(tokens["admin"]))
    assert r.status_code == 409 and "not stuck" in r.json["message"]


def test_bad_task_data_is_refused(as_user, api, app):
    deploy(as_user, diagrams.with_failing_script())
    number = create(api, "ООО «Данные»", "firstContact")
    move(api, number, "presentation")
    analyst = as_user("analyst")
    for bad in ("{not json", "[1, 2]", '{"typename": "BpmnWorkflow"}'):
        assert analyst.post(f"/processes/deal/{number}/retry", data={"data": bad}).status_code == 422, bad
    assert workflow_row(app, number)[0] == "error"


def test_a_gateway_that_finds_no_way_refuses_the_move_and_sticks_nothing(app, as_user, api):
    """A condition failing at the routing gateway is the move's problem, not the process's: nothing changes."""
    deploy(as_user, hostile.with_condition("Flow_route_presentation", "next_status == 'presentation' and nowhere"))
    number = create(api, "ООО «Шлюз»", "firstContact")
    r = move(api, number, "presentation")
    assert r.status_code == 409 and r.json["error"] == "workflow_error"
    deal, history = read(api, number)
    assert deal["status"] == "firstContact" and history[-1]["kind"] == "created"
    assert workflow_row(app, number)[0] == "running"
    assert move(api, number, "identifyNeeds").status_code == 200


def test_a_stuck_deal_does_not_migrate_until_retried(app, as_user, api):
    deploy(as_user, diagrams.with_failing_script())
    number = create(api, "ООО «Миграция»", "firstContact")
    move(api, number, "presentation")
    deploy(as_user, diagrams.camunda_tender())
    tokens, client = api
    r = client.post("/api/v1/processes/deal/migrate", json={"to_version": 3, "dry_run": False},
                    headers=bearer(tokens["analyst"])).json
    refused = next(d for d in r["deals"] if d["number"] == number)
    assert refused["moved"] is False and "retry it from there first" in refused["reason"]


def test_cli_move_keeps_the_failure(app, as_user, api, runner):
    from web.cli import main
    deploy(as_user, diagrams.with_failing_script())
    number = create(api, "ООО «Консоль»", "firstContact")
    result = runner.invoke(main, args=["deals", "move", str(number), "presentation", "--as", "manager"])
    assert result.exit_code == 8 and "process_failed" in result.stderr
    assert workflow_row(app, number)[:2] == ("error", "scoring")


def test_the_responsible_manager_is_told_when_a_retry_moves_the_deal_again(app, as_user, api):
    from engine.db import db
    from processes import users
    from processes.mail_models import OutboxMail
    with app.app_context():
        users.get_by_username("manager").email = "manager@example.test"
        db.session.commit()
    deploy(as_user, diagrams.with_failing_script())
    stuck = create(api, "ООО «Оценка»", "firstContact")
    assert move(api, stuck, "presentation").status_code == 409

    failed_again = as_user("analyst").post(f"/processes/deal/{stuck}/retry", data={"data": ""}, follow_redirects=True)
    assert STUCK_REASON in html.unescape(failed_again.get_data(as_text=True))  # failed again: nobody is told yet

    def letters():
        with app.app_context():
            return [(m.to_email, m.subject, m.body) for m in db.session.query(OutboxMail).order_by(OutboxMail.id)]

    assert letters() == []
    fixed = '{"weight": 4, "next_status": "presentation"}'
    r = as_user("analyst").post(f"/processes/deal/{stuck}/retry", data={"data": fixed})
    assert r.status_code == 302
    ((to, subject, body),) = letters()
    assert to == "manager@example.test" and subject == f"Сделка № {stuck} снова в работе: Презентация"
    assert "Analyst" in body and "«Презентация»" in body
