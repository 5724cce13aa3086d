from tests.conftest import bearer


def test_create_and_move_through_api(client, tokens):
    r = client.post("/api/v1/deals", json={"company": "ООО Тест", "budget": "1500.50"},
                    headers=bearer(tokens["manager"]))
    assert r.status_code == 201, r.json
    deal = r.json
    assert deal["status"] == "new" and deal["responsible"] == "manager" and deal["number"] == 1
    r = client.post(f"/api/v1/deals/{deal['number']}/move",
                    json={"status": "firstContact", "version": deal["version"]}, headers=bearer(tokens["manager"]))
    assert r.status_code == 200, r.json
    assert r.json["status"] == "firstContact"
