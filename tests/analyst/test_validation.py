"""Broken diagrams are refused naming the element, by validate and by deploy, and the running version stays."""
import io

from tests.analyst import diagrams
from tests.conftest import bearer
from web.cli import main


def post(client, token, path, source):
    return client.post(path, data={"file": (io.BytesIO(source), "deal.bpmn")}, headers=bearer(token),
                       content_type="multipart/form-data")


def deal_versions(client, token):
    r = client.get("/api/v1/processes", headers=bearer(token))
    return [p["version"] for p in r.json["processes"] if p["process_id"] == "deal"]


def test_validate_names_the_element_and_deploy_refuses(client, tokens):
    for name, source, element_id, word in diagrams.broken():
        r = post(client, tokens["analyst"], "/api/v1/processes/validate", source)
        assert r.status_code == 200 and r.json["valid"] is False, name
        assert any(e["element_id"] == element_id and word in e["reason"] for e in r.json["errors"]), (name, r.json)
        r = post(client, tokens["analyst"], "/api/v1/processes", source)
        assert r.status_code == 422 and r.json["error"] == "invalid_diagram", name
        assert any(e["element_id"] == element_id for e in r.json["errors"]), (name, r.json)
    assert deal_versions(client, tokens["analyst"]) == [1]
    # The running version still starts and moves deals.
    r = client.post("/api/v1/deals", json={"company": "ООО «Всё ещё работает»"}, headers=bearer(tokens["manager"]))
    assert r.status_code == 201 and r.json["process_version"] == 1
    r = client.get("/api/v1/process/statuses", headers=bearer(tokens["manager"]))
    assert "tender" not in [s["code"] for s in r.json["statuses"]]


def test_validate_passes_a_good_diagram_and_deploys_nothing(client, tokens):
    r = post(client, tokens["analyst"], "/api/v1/processes/validate", diagrams.camunda_tender())
    assert r.status_code == 200 and r.json == {"valid": True, "errors": []}
    assert deal_versions(client, tokens["analyst"]) == [1]
    r = post(client, tokens["manager"], "/api/v1/processes/validate", diagrams.camunda_tender())
    assert r.status_code == 403


def test_cli_validate(runner, tmp_path):
    for name, source, element_id, word in diagrams.broken():
        path = tmp_path / "broken.bpmn"
        path.write_bytes(source)
        result = runner.invoke(main, args=["process", "validate", str(path)])
        assert result.exit_code == 3, name
        assert f"{element_id or '-'}: " in result.stdout and word in result.stdout, (name, result.stdout)
    path = tmp_path / "good.bpmn"
    path.write_bytes(diagrams.camunda_tender())
    result = runner.invoke(main, args=["process", "validate", str(path)])
    assert result.exit_code == 0 and result.stdout.strip() == "valid"
    listed = runner.invoke(main, args=["process", "list"]).stdout.strip().splitlines()
    assert [line.split("\t")[:2] for line in listed if line.startswith("deal")] == [["deal", "v1"]]
