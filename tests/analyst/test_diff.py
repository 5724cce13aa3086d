"""Deploy shows what changes: a diagram only re-serialised makes no version; a renamed status says so."""
import io

import pytest

from tests.analyst import diagrams
from tests.analyst.reserialize import reserialized
from tests.conftest import bearer
from tests.hostile import deal_source
from web.cli import main

XML = {"Content-Type": "application/xml"}


@pytest.fixture
def token(app, staff):
    from engine.db import db
    from processes import users
    with app.app_context():
        made = {name: users.issue_token(name) for name in ("manager", "analyst")}
        db.session.commit()
    return made


def renamed():
    return deal_source().replace("Презентация".encode(), "Демонстрация".encode(), 1)


def deal_versions(app):
    from processes import deploy
    with app.app_context():
        return [r.version for r, _ in deploy.list_definitions() if r.process_id == "deal"]


def test_reserialized_deal_bpmn_deploys_as_unchanged_everywhere(app, as_user, runner, tmp_path, token):
    source = reserialized(deal_source())
    assert source != deal_source()
    path = tmp_path / "deal.bpmn"
    path.write_bytes(source)
    result = runner.invoke(main, args=["process", "deploy", str(path)])
    assert result.exit_code == 0 and "process deal version 1: no changes, no new version" in result.stdout
    assert "no changes" in runner.invoke(main, args=["process", "diff", str(path)]).stdout
    client = app.test_client()
    r = client.post("/api/v1/processes", data=source, headers={**bearer(token["analyst"]), **XML})
    assert r.status_code == 200 and r.json["changed"] is False and r.json["processes"][0]["version"] == 1
    r = client.post("/api/v1/processes/deal/diff", data=source, headers={**bearer(token["analyst"]), **XML})
    assert r.json["changed"] is False and r.json["from_version"] == 1
    analyst = as_user("analyst")
    r = analyst.post("/processes/deploy", data=source, headers={**XML, "Accept": "application/json"})
    assert r.status_code == 200 and r.json["changed"] is False and r.json["message"] == "Без изменений: новая версия не создана."
    page = analyst.post("/processes/deploy-file", data={"file": (io.BytesIO(source), "deal.bpmn")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "Без изменений" in page and 'id="confirm-deploy"' not in page
    assert deal_versions(app) == [1]


def test_renamed_status_shows_in_the_diff_and_deploys_after_confirmation(app, as_user, runner, tmp_path, token):
    analyst = as_user("analyst")
    page = analyst.post("/processes/deploy-file", data={"file": (io.BytesIO(renamed()), "deal.bpmn")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "Статус presentation переименован: «Презентация» → «Демонстрация»" in page
    assert 'id="confirm-deploy"' in page and deal_versions(app) == [1]  # nothing deployed before the confirmation
    source = page.split('name="source" value="')[1].split('"')[0]
    r = analyst.post("/processes/deploy-file", data={"source": source, "confirm": "1"})
    assert r.status_code == 302 and deal_versions(app) == [1, 2]
    assert "Развёрнуто: deal v2." in analyst.get("/processes/").get_data(as_text=True)
    path = tmp_path / "deal.bpmn"
    path.write_bytes(deal_source())
    out = runner.invoke(main, args=["process", "diff", str(path)]).stdout
    assert "status presentation renamed: Демонстрация -> Презентация" in out


def test_api_diff_lists_every_kind_of_change(app, token):
    """The Camunda diagram adds «Тендер»; a removed status counts the deals in it; properties compare generically."""
    client = app.test_client()
    r = client.post("/api/v1/deals", json={"company": "ООО «Прототип»", "status": "prototype"},
                    headers=bearer(token["manager"]))
    assert r.status_code == 201
    headers = {**bearer(token["analyst"]), **XML}
    assert client.post("/api/v1/processes", data=diagrams.camunda_tender(), headers=headers).status_code == 201
    source = diagrams.without_prototype().replace(b'name="commentRequired" value="true"',
                                                  b'name="commentRequired" value="false"', 1)
    r = client.post("/api/v1/processes/deal/diff", data=source, headers=headers)
    assert r.status_code == 200 and r.json["changed"] is True and r.json["from_version"] == 2
    removed = r.json["statuses"]["removed"]
    assert [(s["code"], s["records"]) for s in removed] == [("prototype", 1)]
    assert ["prototype", "route"] not in r.json["moves"]["removed"]
    assert any(m[1] == "prototype" for m in r.json["moves"]["removed"])
    assert {"code": "refusal", "property": "commentRequired", "old": "true", "new": "false"} in r.json["properties"]
    r = client.get("/api/v1/processes/deal/diff", query_string={"source": diagrams.camunda_tender().decode()},
                   headers=bearer(token["analyst"]))
    assert r.status_code == 200 and r.json["changed"] is False
    r = client.get("/api/v1/processes/deal/diff", query_string={"source": renamed().decode()},
                   headers=bearer(token["manager"]))
    assert r.status_code == 403
    r = client.post("/api/v1/processes/deal/diff", data=diagrams.misspelt_condition(), headers=headers)
    assert r.status_code == 422 and r.json["error"] == "invalid_diagram"
