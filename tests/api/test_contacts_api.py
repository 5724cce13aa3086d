"""Contacts and counterparties in the JSON API: add with lookalike refusals, a deal's contacts, the card."""
from tests.conftest import bearer


def test_contacts_counterparties_and_a_deals_contacts(client, tokens):
    h = bearer(tokens["manager"])
    company = client.post("/api/v1/counterparties", json={"name": "ООО «Ромашка»", "inn": "7707083893"}, headers=h)
    assert company.status_code == 201
    twin = client.post("/api/v1/counterparties", json={"name": "ромашка", "confirm": False}, headers=h)
    assert twin.status_code == 409 and twin.json["error"] == "likely_duplicate" and twin.json["can_confirm"]
    assert client.post("/api/v1/counterparties", json={"name": "ромашка", "confirm": True},
                       headers=h).status_code == 201
    ivan = client.post("/api/v1/contacts", json={"name": "Иванов Иван", "email": "ivan@romashka.ru",
                                                  "phone": "+7 933 111-22-33",
                                                  "counterparty_id": company.json["id"]}, headers=h).json
    deal = client.post("/api/v1/deals", json={"name": "Поставка", "contact_id": ivan["id"]}, headers=h).json
    assert (deal["contact_id"], deal["contact_name"], deal["phone"], deal["sender_email"], deal["counterparty"]) == \
        (ivan["id"], "Иванов Иван", "+7 933 111-22-33", "ivan@romashka.ru", "ООО «Ромашка»")
    petr = client.post("/api/v1/contacts", json={"name": "Петров Пётр"}, headers=h).json
    listed = client.post(f"/api/v1/deals/{deal['number']}/contacts", json={"contact_id": petr["id"]}, headers=h)
    assert [c["name"] for c in listed.json["contacts"]] == ["Иванов Иван", "Петров Пётр"]
    assert listed.json["primary_id"] == ivan["id"]
    refused = client.post(f"/api/v1/deals/{deal['number']}/contacts", json={"contact_id": petr["id"]},
                          headers=bearer(tokens["manager2"]))
    assert refused.status_code == 403  # not their deal
    card = client.get(f"/api/v1/counterparties/{company.json['id']}", headers=h).json
    assert [d["number"] for d in card["deals"]] == [deal["number"]] and card["won_total"] == "0.00"
    assert [c["name"] for c in card["contacts"]] == ["Иванов Иван"]
    found = client.get("/api/v1/contacts", query_string={"q": "ПЕТР"}, headers=h).json["contacts"]
    assert [c["id"] for c in found] == [petr["id"]]
