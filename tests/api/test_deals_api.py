"""The deals part of the JSON API: auth, journal filters, read, update, validation, errors."""
import pytest

from tests.conftest import bearer


def post(client, tokens, user="manager", **fields):
    r = client.post("/api/v1/deals", json=fields, headers=bearer(tokens[user]))
    assert r.status_code == 201, r.json
    return r.json


def listing(client, tokens, user="manager", **query):
    r = client.get("/api/v1/deals", query_string=query, headers=bearer(tokens[user]))
    assert r.status_code == 200, r.json
    return r.json


def numbers(body):
    return [d["number"] for d in body["deals"]]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}])
def test_no_valid_token_is_401(client, tokens, headers):
    for method, url in (("get", "/api/v1/deals"), ("post", "/api/v1/deals"), ("get", "/api/v1/tasks"),
                        ("get", "/api/v1/process/statuses"), ("get", "/api/v1/processes")):
        r = getattr(client, method)(url, headers=headers, json={"company": "X"})
        assert r.status_code == 401 and r.json["error"] == "unauthorized"


def test_openapi_document_is_public_and_lists_the_paths(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and r.json["openapi"].startswith("3.")
    for path in ("/deals", "/deals/{number}", "/deals/{number}/move", "/deals/{number}/history", "/tasks",
                 "/tasks/{task_id}/claim", "/tasks/{task_id}/complete", "/process/statuses", "/processes"):
        assert path in r.json["paths"]


@pytest.fixture
def journal(client, tokens, people):
    """Deals with different statuses, responsibles, sources, texts and creation dates."""
    sources = {s: i for i, s in enumerate(["Запрос демо", "Консультация", "Прайс", "Облако", "Сообщество",
                                           "E-mail", "Телефон", "Сарафанное радио", "Другое", "Сайт"], 1)}
    made = [
        post(client, tokens, company="ООО «Ромашка»", budget="100", source_id=sources["Телефон"],
             created_at="2026-01-10T10:00"),
        post(client, tokens, company="АО «Вектор»", budget="5000", description="Интеграция с 1С",
             source_id=sources["Сайт"], created_at="2026-02-15T09:30"),
        post(client, tokens, "manager2", company="ИП Иванов", budget="300", created_at="2026-03-01T12:00"),
        post(client, tokens, "director", company="ЗАО «Гранит»", responsible_id=people["manager2"].id,
             budget="42", created_at="2026-03-20T08:00"),
    ]
    r = client.post(f"/api/v1/deals/{made[1]['number']}/move",
                    json={"status": "presentation", "version": made[1]["version"]}, headers=bearer(tokens["manager"]))
    assert r.status_code == 200
    r = client.post(f"/api/v1/deals/{made[2]['number']}/move",
                    json={"status": "old", "version": made[2]["version"]}, headers=bearer(tokens["manager2"]))
    assert r.status_code == 200
    return sources


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_listed_deal_reads_as_the_deal_itself(client, tokens, journal, language):
    """The list serializes its page from rows, the read from the deal: one shape, the same values."""
    headers = {**bearer(tokens["director"]), "Accept-Language": language}
    listed = client.get("/api/v1/deals", query_string={"archive": "1"}, headers=headers).json["deals"]
    assert len(listed) == 4 and {d["source"] for d in listed} >= {"Телефон", "Сайт"}
    for deal in listed:
        read = client.get(f"/api/v1/deals/{deal['number']}", headers=headers).json
        assert deal == {k: v for k, v in read.items() if k not in ("letters", "allowed_moves", "process_version")}


def test_list_filters(client, tokens, people, journal):
    assert numbers(listing(client, tokens)) == [4, 2, 1]  # the archived deal 3 is hidden by default
    assert numbers(listing(client, tokens, archive="1")) == [4, 3, 2, 1]
    assert numbers(listing(client, tokens, status="presentation")) == [2]
    assert numbers(listing(client, tokens, status="old")) == [3]
    assert numbers(listing(client, tokens, status="new,presentation")) == [4, 2, 1]
    assert numbers(listing(client, tokens, responsible=people["manager2"].id, archive="1")) == [4, 3]
    assert numbers(listing(client, tokens, source=journal["Сайт"])) == [2]
    assert numbers(listing(client, tokens, q="ромашка")) == [1]  # case-insensitive, Cyrillic
    assert numbers(listing(client, tokens, q="1С")) == [2]      # searches the description too
    assert numbers(listing(client, tokens, created_from="2026-02-01", created_to="2026-03-20")) == [4, 2]
    assert numbers(listing(client, tokens, created_to="2026-01-10")) == [1]  # a bare date: the whole day
    assert numbers(listing(client, tokens, budget_min="100", budget_max="300", archive="1")) == [3, 1]


def test_sort_and_pagination(client, tokens, journal):
    assert numbers(listing(client, tokens, sort="budget")) == [4, 1, 2]
    assert numbers(listing(client, tokens, sort="-budget")) == [2, 1, 4]
    assert numbers(listing(client, tokens, sort="company")) == [2, 4, 1]
    page = listing(client, tokens, sort="number", per_page=2, page=2, archive="1")
    assert numbers(page) == [3, 4] and page["total"] == 4 and page["per_page"] == 2
    assert numbers(listing(client, tokens, per_page=2, page=9)) == []


@pytest.mark.parametrize("query, field", [({"sort": "password"}, "sort"), ({"created_from": "вчера"}, "created_from"),
                                          ({"responsible": "anna"}, "responsible"), ({"page": "x"}, "page")])
def test_bad_filters_are_422_naming_the_field(client, tokens, query, field):
    r = client.get("/api/v1/deals", query_string=query, headers=bearer(tokens["manager"]))
    assert r.status_code == 422 and field in r.json["errors"]


def test_read_update_and_history(client, tokens):
    deal = post(client, tokens, company="ООО «Лесторг»", budget="10")
    r = client.get(f"/api/v1/deals/{deal['number']}", headers=bearer(tokens["manager"]))
    assert r.json == deal
    r = client.patch(f"/api/v1/deals/{deal['number']}",
                     json={"budget": "12 500,75", "contact_name": "Мария Лебедева", "version": deal["version"]},
                     headers=bearer(tokens["manager"]))
    assert r.status_code == 200
    updated = r.json
    assert updated["budget"] == "12500.75" and updated["contact_name"] == "Мария Лебедева"
    assert updated["version"] > deal["version"]
    stale = client.patch(f"/api/v1/deals/{deal['number']}", json={"budget": "1", "version": deal["version"]},
                         headers=bearer(tokens["manager"]))
    assert stale.status_code == 409
    assert client.get(f"/api/v1/deals/{deal['number']}", headers=bearer(tokens["manager"])).json == updated
    r = client.get(f"/api/v1/deals/{deal['number']}/history", headers=bearer(tokens["manager"]))
    assert [(h["kind"], h["to"], h["user"]) for h in r.json["history"]] == [("created", "new", "manager")]


@pytest.mark.parametrize("fields, errors", [
    ({"company": "X", "sender_email": "ivan@"}, {"sender_email"}),
    ({"company": "X", "site_email": "ivan at example.com"}, {"site_email"}),
    ({"company": "X", "phone": "позвонить завтра"}, {"phone"}),
    ({"company": "X", "budget": "-1"}, {"budget"}),
    ({"company": "X", "budget": "сто тысяч"}, {"budget"}),
    ({"company": "X", "budget": "NaN"}, {"budget"}),
    ({"company": "X", "budget": [1]}, {"budget"}),
    ({"company": "X", "source_id": 999}, {"source_id"}),
    ({"company": "X", "created_at": "31.02.2026"}, {"created_at"}),
    ({"description": "no company"}, {"company"}),
    ({"company": "X", "password": "x"}, {"password"}),
    ({"company": {"name": "X"}}, {"company"}),
    ({"company": "X", "status": "completed"}, {"status"}),  # only the director's decision ends a deal
    ({"company": "X", "status": "nonsense"}, {"status"}),
    ({"company": "X", "sender_email": "bad", "phone": "bad", "budget": "-5"}, {"sender_email", "phone", "budget"}),
])
def test_field_validation_is_422_per_field(client, tokens, fields, errors):
    r = client.post("/api/v1/deals", json=fields, headers=bearer(tokens["manager"]))
    assert r.status_code == 422, r.json
    assert set(r.json["errors"]) == errors and all(r.json["errors"].values())
    assert client.get("/api/v1/deals", headers=bearer(tokens["manager"])).json["total"] == 0


def test_bad_update_is_422_and_changes_nothing(client, tokens):
    deal = post(client, tokens, company="X", phone="+7 900 000-00-00")
    r = client.patch(f"/api/v1/deals/{deal['number']}", json={"phone": "звоните", "version": deal["version"]},
                     headers=bearer(tokens["manager"]))
    assert r.status_code == 422 and set(r.json["errors"]) == {"phone"}
    assert client.get(f"/api/v1/deals/{deal['number']}", headers=bearer(tokens["manager"])).json == deal


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"), (b"[1, 2]", "application/json"), (b"company=X", "text/plain"),
    (b"", "application/json"), (b'"just a string"', "application/json"),
])
def test_bad_json_is_422_not_500(client, tokens, body, content_type):
    deal = post(client, tokens, company="X")
    headers = {**bearer(tokens["manager"]), "Content-Type": content_type}
    for url, method in (("/api/v1/deals", "post"), (f"/api/v1/deals/{deal['number']}", "patch"),
                        (f"/api/v1/deals/{deal['number']}/move", "post")):
        r = getattr(client, method)(url, data=body, headers=headers)
        assert r.status_code == 422, (url, r.status_code)
        assert r.json["error"] == "validation_error"
    r = client.post(f"/api/v1/deals/{deal['number']}/move", json={"status": "firstContact", "version": "x"},
                    headers=bearer(tokens["manager"]))
    assert r.status_code == 422 and "version" in r.json["errors"]


def test_unknown_deal_is_404(client, tokens):
    for method, url in (("get", "/api/v1/deals/404"), ("patch", "/api/v1/deals/404"),
                        ("post", "/api/v1/deals/404/move"), ("get", "/api/v1/deals/404/history"),
                        ("post", "/api/v1/deals/404/claim"), ("get", "/api/v1/deals/nope")):
        r = getattr(client, method)(url, json={"status": "firstContact"}, headers=bearer(tokens["manager"]))
        assert r.status_code == 404 and r.json["error"] == "not_found", (url, r.json)


def test_analyst_reads_but_does_not_create(client, tokens):
    r = client.post("/api/v1/deals", json={"company": "X"}, headers=bearer(tokens["analyst"]))
    assert r.status_code == 403
    assert client.get("/api/v1/deals", headers=bearer(tokens["analyst"])).status_code == 200


def test_create_in_a_chosen_status_and_times_with_an_offset(client, tokens):
    deal = post(client, tokens, company="X", status="presentation", created_at="2026-03-01T10:00:00+03:00")
    assert deal["status"] == "presentation" and deal["stage"] == "40% Развитие"
    assert deal["created_at"] == "2026-03-01T07:00:00Z"  # stored and given in UTC, said so
