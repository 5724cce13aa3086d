"""Routing conditions are evaluated before a deploy: the CLI, the API and the modeler's endpoint refuse alike."""
import io

import pytest

from tests.analyst import diagrams
from tests.conftest import bearer
from web.cli import main

CASES = diagrams.routing_broken()


def _named(errors, element_id, words):
    return any(e["element_id"] == element_id and all(w in e["reason"] for w in words) for e in errors)


@pytest.mark.parametrize("name,source,element_id,words", CASES, ids=[c[0] for c in CASES])
def test_cli_api_and_modeler_refuse_naming_the_flow_or_status(app, as_user, runner, tmp_path,
                                                              name, source, element_id, words):
    from engine.db import db
    from processes import users
    with app.app_context():
        token = users.issue_token("analyst")
        db.session.commit()
    path = tmp_path / "deal.bpmn"
    path.write_bytes(source)
    result = runner.invoke(main, args=["process", "validate", str(path)])
    assert result.exit_code == 3
    line = next(x for x in result.stdout.splitlines() if x.startswith(f"{element_id}: "))
    assert all(w in line for w in words), result.stdout
    r = app.test_client().post("/api/v1/processes/validate", data={"file": (io.BytesIO(source), "deal.bpmn")},
                               headers=bearer(token), content_type="multipart/form-data")
    assert r.json["valid"] is False and _named(r.json["errors"], element_id, words), r.json
    r = as_user("analyst").post("/processes/validate", data=source,
                                headers={"Accept": "application/json", "Content-Type": "application/xml"})
    assert r.json["valid"] is False and any(e["element_id"] == element_id for e in r.json["errors"]), r.json
    assert as_user("analyst").post("/processes/deploy", data=source,
                                   headers={"Content-Type": "application/xml"}).status_code == 422


def test_misspelt_condition_names_flow_and_status_in_english_on_the_cli(runner, tmp_path):
    path = tmp_path / "deal.bpmn"
    path.write_bytes(diagrams.misspelt_condition())
    out = runner.invoke(main, args=["process", "validate", str(path)]).stdout
    assert "Flow_0t3nd3r: no status code satisfies the condition «next_status == 'tendr'» of flow " \
           "'Flow_0t3nd3r' into status 'tender'" in out
    assert "tender: status 'tender' is never reached from 'route'" in out


def test_a_condition_reading_other_data_is_left_to_the_run(app):
    """``next_status == 'presentation' and budget > 0`` cannot be judged from the code alone: not refused."""
    from engine.parsing import ParsedDiagram
    from processes.rules import problems_of
    from tests import hostile
    source = hostile.with_condition("Flow_route_presentation", "next_status == 'presentation' and budget > 0")
    assert problems_of(source, ParsedDiagram) == []
    source = hostile.with_condition("Flow_route_presentation", "next_status == 'presentation' and 1 // 0")
    assert [p.element_id for p in problems_of(source, ParsedDiagram)] == ["Flow_route_presentation"]


def test_a_misspelt_verdict_of_the_director_is_refused(app):
    """The director's verdict flows (the gateway after «Принятие решения») are held to the same rule."""
    from engine.parsing import ParsedDiagram
    from processes.rules import problems_of
    from tests.hostile import deal_source
    source = deal_source().replace(b"next_status == 'completed'", b"next_status == 'complete'", 1)
    found = {p.element_id: p.reason for p in problems_of(source, ParsedDiagram)}
    assert "no status code satisfies" in found["Flow_decide_completed"] and "'completed'" in found["Flow_decide_completed"]
    assert "never reached from 'decide'" in found["completed"]
