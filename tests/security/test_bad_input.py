"""Bad input is a 4xx with a reason, never a 500: ids past 32 bits, NUL characters, dates outside 1900–9999.

PostgreSQL's ``integer`` stops at 2**31-1, its text refuses NUL and Python's datetime stops at
year 9999: each used to reach the database (or ``astimezone``) and fail there. Run on SQLite
and on PostgreSQL (``DATABASE_URL``), as the whole suite is.
"""
import pytest

from tests.conftest import bearer
from tests.web.conftest import login

BIG = 2**31          # one past PostgreSQL's integer
HUGE = -4412537454   # past 32 bits, negative


@pytest.fixture
def deal(client, tokens):
    r = client.post("/api/v1/deals", json={"company": "ООО «Ромашка»"}, headers=bearer(tokens["manager"]))
    assert r.status_code == 201, r.json
    return r.json


def _refused(response, *statuses, word=""):
    assert response.status_code in statuses, (response.status_code, response.data[:300])
    if response.is_json:
        assert response.json["error"] and response.json["message"]
        assert word in (response.json["message"] + str(response.json.get("errors", ""))), response.json
    return response


# --- ids past 32 bits -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [f"/api/v1/deals/{BIG}", f"/api/v1/deals/{BIG}/history",
                                  f"/api/v1/deals/{2**64}/assignments", f"/api/v1/assignments/{BIG}",
                                  f"/api/v1/deals/1/letters/{BIG}.eml", "/api/v1/deals/" + "9" * 5000])
def test_api_ids_past_32_bits_in_paths_are_404(client, tokens, deal, path):
    _refused(client.get(path, headers=bearer(tokens["manager"])), 404)


def test_api_ids_past_32_bits_in_bodies_are_422(client, tokens, deal):
    headers = bearer(tokens["manager"])
    for body in ({"company": "X", "counterparty_id": HUGE}, {"company": "X", "source_id": BIG},
                 {"company": "X", "responsible_id": str(BIG)}):
        _refused(client.post("/api/v1/deals", json=body, headers=headers), 422, word="2147483647")
    _refused(client.patch(f"/api/v1/deals/{deal['number']}", json={"counterparty_id": HUGE, "version": 1},
                          headers=headers), 422, word="2147483647")
    _refused(client.post("/api/v1/processes/deal/migrate", json={"to_version": BIG},
                         headers=bearer(tokens["admin"])), 422, 404)


@pytest.mark.parametrize("query", [{"responsible": str(BIG)}, {"source": f"1,{HUGE}"}, {"page": str(2**70)},
                                   {"per_page": str(BIG)}])
def test_api_ids_past_32_bits_in_filters_are_422(client, tokens, deal, query):
    _refused(client.get("/api/v1/deals", query_string=query, headers=bearer(tokens["manager"])), 422)


def test_a_search_for_a_long_number_searches_text(client, tokens, deal):
    for q in (str(BIG), "99999999999999999999", "²"):
        r = client.get("/api/v1/deals", query_string={"q": q}, headers=bearer(tokens["manager"]))
        assert r.status_code == 200 and r.json["total"] == 0, r.data[:300]


def test_assignment_filters_and_people_past_32_bits(client, tokens, deal):
    headers = bearer(tokens["manager"])
    _refused(client.get("/api/v1/assignments", query_string={"deal": str(BIG)}, headers=headers), 422)
    _refused(client.get("/api/v1/assignments", query_string={"page": str(2**70)}, headers=headers), 422)
    r = client.post(f"/api/v1/deals/{deal['number']}/assignments",
                    json={"title": "Позвонить", "performer": str(BIG), "due_at": "2099-01-01"}, headers=headers)
    _refused(r, 422)


def test_pages_ids_past_32_bits_are_404(app, client, deal):
    from tests.web.conftest import login as log_in
    from processes import users
    from engine.db import db
    with app.app_context():
        users.create_user("viewer", "admin", "secret123", "Viewer")
        db.session.commit()
    log_in(client, "viewer")
    for path in (f"/deals/{BIG}", f"/deals/{BIG}/edit", f"/counterparties/{BIG}", f"/assignments/{BIG}",
                 f"/processes/deal/v{BIG}", f"/processes/deal/{BIG}/diagram.json"):
        _refused(client.get(path), 404)
    r = client.get("/v2/journals", query_string={"journalId": "deals-journal", "responsible": str(BIG)})
    assert r.status_code == 422 and "2147483647" in r.get_data(as_text=True)  # named as a refused filter


# --- NUL characters ---------------------------------------------------------------------------------

def test_api_nul_in_query_body_and_path_is_422(client, tokens, deal):
    headers = bearer(tokens["manager"])
    _refused(client.get("/api/v1/deals?q=a%00b", headers=headers), 422, word="NUL")
    _refused(client.post("/api/v1/deals", json={"company": "a\x00b"}, headers=headers), 422, word="NUL")
    _refused(client.patch(f"/api/v1/deals/{deal['number']}", json={"description": "x\x00"}, headers=headers),
             422, word="NUL")
    _refused(client.post(f"/api/v1/deals/{deal['number']}/move", json={"status": "a\x00", "comment": "\x00"},
                         headers=headers), 422, word="NUL")
    _refused(client.post("/api/v1/tasks/a%00b/claim", headers=headers), 422, 404)
    _refused(client.post("/api/v1/deals", json={"company\x00": "X"}, headers=headers), 422, word="NUL")


def test_pages_nul_in_query_and_form_is_refused(app, client, deal):
    from processes import users
    from engine.db import db
    with app.app_context():
        users.create_user("viewer", "admin", "secret123", "Viewer")
        db.session.commit()
    login(client, "viewer")
    r = _refused(client.get("/v2/journals?journalId=deals-journal&q=a%00b"), 422)
    assert "NUL" in r.get_data(as_text=True)
    _refused(client.post(f"/deals/{deal['number']}/edit", data={"company": "a\x00b", "version": "1"}), 422)
    _refused(client.post("/deals/new", data={"company": "a\x00b"}), 422)
    _refused(client.get("/counterparties?q=%00"), 422)


def test_the_domain_refuses_nul_in_deal_fields(ctx, people):
    from processes import deals
    from processes.errors import ValidationError
    with pytest.raises(ValidationError, match="NUL"):
        deals.create_deal({"company": "a\x00b"}, people["manager"])


# --- dates outside 1900–9999 ------------------------------------------------------------------------

@pytest.mark.parametrize("query", [{"created_from": "0001-01-01"}, {"created_to": "9999-12-31T23:00-05:00"},
                                   {"created_from": "1899-12-31T23:00"}, {"created_to": "0001-01-01T00:00+14:00"}])
def test_api_dates_outside_1900_9999_in_filters_are_422(client, tokens, deal, query):
    _refused(client.get("/api/v1/deals", query_string=query, headers=bearer(tokens["manager"])), 422, word="1900")


@pytest.mark.parametrize("zone", ["UTC", "Europe/Moscow", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_edges_of_the_range_are_read(app, client, tokens, deal, zone):
    from processes import fields
    fields.set_timezone(zone)
    try:
        for query in ({"created_to": "9999-12-31"}, {"created_from": "1900-01-01"}, {"created_to": "9999-12-31T23:59"}):
            r = client.get("/api/v1/deals", query_string=query, headers=bearer(tokens["manager"]))
            assert r.status_code in (200, 422), r.data[:300]
            if r.status_code == 422:
                assert "1900" in r.json["message"]
        r = client.get("/api/v1/deals", query_string={"created_to": "9999-12-31"}, headers=bearer(tokens["manager"]))
        assert r.status_code == 200 and r.json["total"] == 1
    finally:
        fields.set_timezone(app.config["TIMEZONE"])


def test_api_dates_outside_1900_9999_in_bodies_are_422(client, tokens, deal):
    headers = bearer(tokens["manager"])
    for when in ("0001-01-01", "9999-12-31T23:00-05:00", "1800-05-05T10:00"):
        _refused(client.post("/api/v1/deals", json={"company": "X", "created_at": when}, headers=headers),
                 422, word="1900")
    r = client.post(f"/api/v1/deals/{deal['number']}/assignments",
                    json={"title": "Позвонить", "performer": "manager", "due_at": "9999-12-31T23:59-10:00"},
                    headers=headers)
    _refused(r, 422)


def test_pages_dates_outside_1900_9999(app, client, deal):
    from processes import users
    from engine.db import db
    with app.app_context():
        users.create_user("viewer", "admin", "secret123", "Viewer")
        db.session.commit()
    login(client, "viewer")
    r = client.get("/v2/journals", query_string={"journalId": "deals-journal", "created_from": "0001-01-01"})
    assert r.status_code == 422 and "1900" in r.get_data(as_text=True)  # named as a refused filter
    r = client.get("/v2/journals", query_string={"journalId": "deals-journal", "created_to": "9999-12-31"})
    assert r.status_code == 200
    r = client.post(f"/deals/{deal['number']}/edit", data={"created_at": "0001-01-01T00:00", "version": "1"})
    _refused(r, 422)


def test_a_json_body_nested_past_the_parser_s_limit_is_422(client, tokens):
    r = client.post("/api/v1/deals", data="[" * 100_000, content_type="application/json",
                    headers=bearer(tokens["manager"]))
    _refused(r, 400, 422)
