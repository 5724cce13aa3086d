"""The «Процессы» pages: who sees them, validate/deploy from the modeler's endpoints, migration, dashboard, viewer data."""
import re

import pytest

from tests.analyst import diagrams
from tests.conftest import bearer

JSON = {"Accept": "application/json", "Content-Type": "application/xml"}


@pytest.fixture
def api(app, staff):
    """API tokens of the staff (made without keeping an app context open) and a client."""
    from engine.db import db
    from processes import users
    with app.app_context():
        made = {name: users.issue_token(name) for name in ("manager", "analyst")}
        db.session.commit()
    return made, app.test_client()


def test_only_analysts_and_admins_open_the_section(as_user):
    for username in ("analyst", "admin"):
        page = as_user(username).get("/processes/")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert 'id="process-deal"' in text and "/processes/deal/v1" in text and 'id="nav-processes"' in text
    for username in ("manager", "director"):
        assert as_user(username).get("/processes/").status_code == 403
        assert as_user(username).get("/processes/deal/v1").status_code == 403
        assert as_user(username).post("/processes/deploy", data=diagrams.camunda_tender(),
                                      headers=JSON).status_code == 403
    director = as_user("director")
    header = director.get("/tasks").get_data(as_text=True)
    assert '<a href="/processes/deal/dashboard" id="nav-dashboard">Мониторинг процесса</a>' in header
    newest = director.get("/processes/deal/dashboard")
    assert newest.status_code == 302 and newest.headers["Location"].endswith("/processes/deal/v1/dashboard")
    assert director.get("/processes/deal/v1/dashboard").status_code == 200
    assert as_user("manager").get("/processes/deal/dashboard").status_code == 403
    assert 'id="nav-dashboard"' not in as_user("manager").get("/tasks").get_data(as_text=True)
    modeler = as_user("analyst").get("/processes/deal/v1").get_data(as_text=True)
    assert 'id="bpmn-canvas"' in modeler and "processes-modeler.js" in modeler
    download = as_user("manager").get("/processes/deal/v1.bpmn?download=1")
    assert download.status_code == 200 and download.data.startswith(b"<?xml")
    assert "deal-v1.bpmn" in download.headers["Content-Disposition"]


def test_validate_and_deploy_from_the_modeler(as_user):
    analyst = as_user("analyst")
    analyst.get("/lang/en")  # the reasons' English words (Russian ones: test_problem_messages.py)
    for name, source, element_id, word in diagrams.broken():
        r = analyst.post("/processes/validate", data=source, headers=JSON)
        assert r.status_code == 200 and not r.json["valid"], name
        assert any(e["element_id"] == element_id and word in e["reason"] for e in r.json["errors"]), name
        r = analyst.post("/processes/deploy", data=source, headers=JSON)
        assert r.status_code == 422 and any(e["element_id"] == element_id for e in r.json["errors"]), name
    r = analyst.post("/processes/deploy", data=diagrams.camunda_tender(), headers=JSON)
    assert r.status_code == 201 and r.json["processes"][0]["version"] == 2
    text = analyst.get("/processes/").get_data(as_text=True)
    assert 'data-version="2"' in text and "analyst" in text


def test_migration_form_dry_run_then_run(as_user, api):
    tokens, client = api
    r = client.post("/api/v1/deals", json={"company": "ООО «Форма»", "status": "presentation"},
                    headers=bearer(tokens["manager"]))
    number = r.json["number"]
    analyst = as_user("analyst")
    analyst.post("/processes/deploy", data=diagrams.camunda_tender(), headers=JSON)
    page = analyst.post("/processes/deal/migrate", data={"to_version": "2", "run": "0"}).get_data(as_text=True)
    assert 'id="migration-result"' in page and "v1" in page and 'class="ok"' in page
    assert client.get(f"/api/v1/deals/{number}", headers=bearer(tokens["manager"])).json["process_version"] == 1
    assert f'<td data-status="presentation">Презентация</td>' in page  # the status's name, not its code
    analyst.post("/processes/deal/migrate", data={"to_version": "2", "run": "1", "confirm": "1"})
    assert client.get(f"/api/v1/deals/{number}", headers=bearer(tokens["manager"])).json["process_version"] == 2
    card = as_user("manager").get(f"/deals/{number}").get_data(as_text=True)
    assert "сделка переведена на другую версию процесса" in card and "Презентация</span> → <span" not in card


def test_dashboard_counts_and_deal_diagram(as_user, api):
    tokens, client = api
    numbers = [client.post("/api/v1/deals", json={"company": f"ООО «{i}»"}, headers=bearer(tokens["manager"]))
               .json["number"] for i in range(3)]
    client.post(f"/api/v1/deals/{numbers[0]}/move", json={"status": "firstContact"}, headers=bearer(tokens["manager"]))
    page = as_user("analyst").get("/processes/deal/v1/dashboard").get_data(as_text=True)
    assert '<tr data-node="new"><td>Не обработана</td><td class="count">2</td>' in page
    assert '<tr data-node="firstContact"><td>Первичный контакт</td><td class="count">1</td>' in page
    assert re.search(r'<tr data-node="new"><td>Не обработана</td><td class="count">2</td>\s*<td>0,0 дн', page)
    assert 'id="no-stuck"' in page
    analyst = as_user("analyst")
    analyst.post("/processes/deploy", data=diagrams.camunda_tender(), headers=JSON)  # v2: the three stay on v1
    client.post("/api/v1/deals", json={"company": "ООО «Вторая»"}, headers=bearer(tokens["manager"]))
    newer = analyst.get("/processes/deal/v2/dashboard?only=2").get_data(as_text=True)  # v2's deals alone
    assert '<tr data-node="new"><td>Не обработана</td><td class="count">1</td>' in newer
    assert '<tr data-node="firstContact"><td>Первичный контакт</td><td class="count">0</td>' in newer
    every = analyst.get("/processes/deal/v2/dashboard").get_data(as_text=True)  # every version by default
    assert '<tr data-node="new"><td>Не обработана</td><td class="count">3</td>' in every
    assert '<tr data-node="new"><td>Не обработана</td><td class="count">2</td>' in \
        analyst.get("/processes/deal/v1/dashboard?only=1").get_data(as_text=True)
    data = as_user("manager").get(f"/processes/deal/{numbers[0]}/diagram.json").json
    assert (data["current"], data["path"], data["version"]) == ("firstContact", ["new", "firstContact"], 1)
    assert set(data["seconds"]) == {"new", "firstContact"} and data["bpmn_url"] == "/processes/deal/v1.bpmn"
    assert as_user("manager").get("/processes/deal/999/diagram.json").status_code == 404


def test_a_migration_keeps_the_tasks_waiting_time_and_the_managers_note(app, as_user, api):
    from engine.db import db
    from engine.models import ReadyTask
    tokens, client = api
    number = client.post("/api/v1/deals", json={"company": "ООО «Решение»", "status": "prototype"},
                         headers=bearer(tokens["manager"])).json["number"]
    r = client.post(f"/api/v1/deals/{number}/move", json={"status": "decision", "comment": "Скидка 10% согласована"},
                    headers=bearer(tokens["manager"]))
    assert r.status_code == 200, r.json
    with app.app_context():
        [(task_id, since)] = db.session.execute(select_ready(ReadyTask)).all()
    analyst = as_user("analyst")
    analyst.post("/processes/deploy", data=diagrams.camunda_tender(), headers=JSON)
    analyst.post("/processes/deal/migrate", data={"to_version": "2", "run": "1", "confirm": "1"})
    with app.app_context():
        [(new_task_id, new_since)] = db.session.execute(select_ready(ReadyTask)).all()
    assert new_task_id != task_id and new_since == since  # a new task of v2, waiting since the move
    page = as_user("director").get(f"/tasks/{new_task_id}").get_data(as_text=True)
    assert re.search(r'id="last-note"><strong>Manager:</strong> Скидка 10% согласована</p>', page), page


def select_ready(model):
    from sqlalchemy import select
    return select(model.task_id, model.created_at).where(model.lane == "director")


def test_every_process_has_its_monitoring_link(as_user):
    """«Мониторинг» for each process and version on /processes/, the assignment process included, and it opens."""
    analyst = as_user("analyst")
    page = analyst.get("/processes/").get_data(as_text=True)
    links = re.findall(r'<a href="(/processes/(\w+)/v(\d+)/dashboard)" class="monitoring">Мониторинг</a>', page)
    assert {process for _, process, _ in links} >= {"deal", "assignment"}, links
    for url, _, _ in links:
        assert analyst.get(url).status_code == 200, url
