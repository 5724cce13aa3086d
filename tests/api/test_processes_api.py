"""POST /api/v1/processes: hostile and broken BPMN is a 422 naming the elements; only analysts deploy."""
import io

from tests import hostile
from tests.conftest import bearer


def deploy(client, token, source, multipart=False):
    if multipart:
        return client.post("/api/v1/processes", data={"file": (io.BytesIO(source), "deal.bpmn")},
                           headers=bearer(token), content_type="multipart/form-data")
    return client.post("/api/v1/processes", data=source, headers={**bearer(token), "Content-Type": "application/xml"})


def versions(client, tokens):
    """The deployed versions of the deal process (other diagrams in bpmn/ are not touched here)."""
    r = client.get("/api/v1/processes", headers=bearer(tokens["analyst"]))
    return [(p["process_id"], p["version"]) for p in r.json["processes"] if p["process_id"] == "deal"]


def test_hostile_bpmn_is_422_naming_the_elements(client, tokens, tmp_path):
    marker, secret = tmp_path / "pwned", tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4711")
    for multipart in (False, True):
        for name, source, element_id, word in hostile.hostile_cases(marker, secret):
            r = deploy(client, tokens["analyst"], source, multipart)
            assert r.status_code == 422, (name, r.status_code)
            assert r.json["error"] == "invalid_diagram"
            assert any(e["element_id"] == element_id and word in e["reason"] for e in r.json["errors"]), r.json
            assert "TOP-SECRET" not in r.get_data(as_text=True)
    assert versions(client, tokens) == [("deal", 1)]
    r = client.post("/api/v1/deals", json={"company": "ООО «Проверка»"}, headers=bearer(tokens["manager"]))
    assert r.status_code == 201 and not marker.exists()


def test_broken_bpmn_is_422_naming_the_element(client, tokens):
    for name, source, element_id, word in hostile.broken_cases():
        r = deploy(client, tokens["analyst"], source)
        assert r.status_code == 422, name
        assert any(e["element_id"] == element_id and word in e["reason"] for e in r.json["errors"]), r.json
    r = deploy(client, tokens["analyst"], b"")
    assert r.status_code == 422 and "file" in r.json["errors"]
    r = deploy(client, tokens["analyst"], b"just text, not XML")
    assert r.status_code == 422
    assert versions(client, tokens) == [("deal", 1)]


def test_analyst_deploys_a_new_version_others_may_not(client, tokens):
    source = hostile.with_condition("Flow_route_new", "next_status == 'new' and True")
    for user in ("manager", "director"):
        assert deploy(client, tokens[user], source).status_code == 403
    r = deploy(client, tokens["analyst"], source, multipart=True)
    assert r.status_code == 201
    [row] = r.json["processes"]
    assert (row["process_id"], row["version"], row["deployed_by"]) == ("deal", 2, "analyst")
    assert versions(client, tokens) == [("deal", 1), ("deal", 2)]
    r = client.get("/api/v1/process/statuses", headers=bearer(tokens["manager"]))
    assert r.json["definition"]["version"] == 2
