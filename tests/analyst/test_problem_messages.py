"""Validation reasons read in the user's language on the modeler's endpoints; the API and the CLI keep English."""
import io
import re

from tests.analyst import diagrams
from tests.conftest import bearer
from tests.hostile import deal_source
from web.cli import main

XML = {"Accept": "application/json", "Content-Type": "application/xml"}


def without_condition():
    """deal.bpmn with the flow into «Не обработана» stripped of its condition (SpiffWorkflow's own refusal)."""
    return re.sub(rb'(<bpmn:sequenceFlow id="Flow_route_new" sourceRef="route" targetRef="new">)\s*'
                  rb'<bpmn:conditionExpression[^<]*</bpmn:conditionExpression>', rb"\1", deal_source())


def test_spiffworkflow_reason_in_russian_and_english(as_user, runner, tmp_path):
    analyst = as_user("analyst")
    r = analyst.post("/processes/validate", data=without_condition(), headers=XML)
    assert r.json["errors"] == [{"element_id": "Flow_route_new", "reason": "Поток из исключающего шлюза не имеет "
                                 "условия и не является потоком по умолчанию."}]
    r = analyst.post("/processes/deploy", data=without_condition(), headers=XML)
    assert r.status_code == 422 and r.json["errors"][0]["reason"].startswith("Поток из исключающего шлюза")
    analyst.get("/lang/en")
    r = analyst.post("/processes/validate", data=without_condition(), headers=XML)
    assert r.json["errors"][0]["reason"] == ("A flow out of an exclusive gateway has no condition and is not "
                                             "the gateway's default flow.")
    path = tmp_path / "deal.bpmn"
    path.write_bytes(without_condition())
    out = runner.invoke(main, args=["process", "validate", str(path)]).stdout
    assert "Flow_route_new: Non-default exclusive outgoing sequence flow without condition." in out


def test_routing_reasons_in_russian(as_user):
    analyst = as_user("analyst")
    errors = analyst.post("/processes/validate", data=diagrams.misspelt_condition(), headers=XML).json["errors"]
    assert {"element_id": "Flow_0t3nd3r", "reason": "Ни один код статуса не удовлетворяет условию "
            "«next_status == 'tendr'» потока «Flow_0t3nd3r» в статус «tender»: ни один переход по нему не пройдёт."} \
        in errors
    assert any(e["element_id"] == "tender" and e["reason"].startswith("В статус «tender» из «route» никогда не попасть")
               for e in errors)
    errors = analyst.post("/processes/validate", data=diagrams.duplicate_condition(), headers=XML).json["errors"]
    assert errors[0]["reason"] == ("Код статуса «presentation» удовлетворяет условиям сразу 2 потоков из «route»: "
                                   "Flow_route_presentation, Flow_route_prototype.")
    for name, source, element_id, word in diagrams.broken():
        for error in analyst.post("/processes/validate", data=source, headers=XML).json["errors"]:
            assert not re.match(r"[a-zA-Z]", error["reason"][:1]) or error["reason"].startswith("BPMN"), \
                (name, error)  # every reason starts in Russian


def test_api_keeps_the_english_reason(app, as_user):
    from engine.db import db
    from processes import users
    with app.app_context():
        token = users.issue_token("analyst")
        db.session.commit()
    r = app.test_client().post("/api/v1/processes/validate", headers=bearer(token), content_type="multipart/form-data",
                               data={"file": (io.BytesIO(without_condition()), "deal.bpmn")})
    assert r.json["errors"][0]["reason"].startswith("Non-default exclusive outgoing sequence flow without condition")
