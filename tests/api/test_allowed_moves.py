"""A deal read through the API carries the moves its caller may make, from the deal's own process version."""
from tests.analyst import diagrams
from tests.conftest import bearer

XML = {"Content-Type": "application/xml"}


def test_allowed_moves_follow_the_deals_version_and_the_callers_role(client, tokens):
    manager, director = bearer(tokens["manager"]), bearer(tokens["director"])
    old = client.post("/api/v1/deals", json={"company": "ООО «Старая версия»", "status": "presentation"},
                      headers=manager).json
    decision = client.post("/api/v1/deals", json={"company": "ООО «Решение»", "status": "decision"},
                           headers=manager).json["number"]
    r = client.post("/api/v1/processes", data=diagrams.camunda_tender(), headers={**bearer(tokens["analyst"]), **XML})
    assert r.status_code == 201 and r.json["processes"][0]["version"] == 2
    new = client.post("/api/v1/deals", json={"company": "ООО «Новая версия»", "status": "presentation"},
                      headers=manager).json
    on_old = client.get(f"/api/v1/deals/{old['number']}", headers=manager).json
    on_new = client.get(f"/api/v1/deals/{new['number']}", headers=manager).json
    assert on_old["process_version"] == 1 and on_new["process_version"] == 2
    assert "tender" not in on_old["allowed_moves"] and "tender" in on_new["allowed_moves"]
    assert "offerPreparation" in on_old["allowed_moves"]
    # The decision is the director's: the manager may not move it, the director may.
    assert client.get(f"/api/v1/deals/{decision}", headers=manager).json["allowed_moves"] == []
    assert "completed" in client.get(f"/api/v1/deals/{decision}", headers=director).json["allowed_moves"]
