"""Every response carries the security headers; a diagram source is always a download that runs nothing."""
import pytest

from tests.conftest import bearer
from tests.web.conftest import as_user, staff  # noqa: F401
from tests.web.helpers import make_deal

POLICY = {"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'",
          "frame-ancestors 'none'", "form-action 'self'"}


def assert_secured(response, what):
    headers = response.headers
    directives = {d.strip() for d in headers.get("Content-Security-Policy", "").split(";")}
    assert POLICY <= directives, (what, headers.get("Content-Security-Policy"))
    script = next(d for d in directives if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, what
    assert not any(d.startswith("default-src") and "'unsafe" in d for d in directives), what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("Referrer-Policy") == "same-origin", what


def assert_download(response, filename):
    assert response.status_code == 200 and response.data.startswith(b"<?xml")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_pages_of_every_area_carry_the_headers(app, as_user):  # noqa: F811
    number = make_deal(app)
    anonymous = app.test_client()
    assert_secured(anonymous.get("/login"), "login page")
    assert_secured(anonymous.get("/v2/journals?journalId=deals-journal"), "redirect to the login")
    assert_secured(anonymous.get("/static/src/app.js"), "static file")
    assert_secured(anonymous.get("/static/vendor/processes-modeler.js"), "vendor bundle")
    pages = {
        "manager": ["/v2/journals?journalId=deals-journal", "/v2/journals?journalId=deals-journal&viewMode=kanban",
                    f"/deals/{number}", f"/processes/deal/{number}/diagram.json", f"/processes/deal/{number}/diagram",
                    "/tasks", "/tasks/group", "/assignments", "/deals/new", "/no/such/page", "/processes/"],
        "director": ["/processes/deal/v1/dashboard"],
        "analyst": ["/processes/", "/processes/deal/v1", "/processes/assignment/v1/dashboard"],
        "admin": ["/directories/counterparties", "/directories/sources", "/admin/mail", "/admin/smtp"],
    }
    expected = {"/no/such/page": 404}
    for username, paths in pages.items():
        client = as_user(username)
        for path in paths:
            response = client.get(path)
            status = expected.get(path, 403 if (username, path) == ("manager", "/processes/") else 200)
            assert response.status_code == status, (username, path, response.status_code)
            assert_secured(response, (username, path))


def test_api_answers_carry_the_headers(client, tokens):
    assert_secured(client.get("/api/v1/processes", headers=bearer(tokens["analyst"])), "API JSON")
    assert_secured(client.get("/api/v1/processes"), "API without a token")
    assert_secured(client.get("/api/v1/deals/999999", headers=bearer(tokens["manager"])), "API 404")
    assert_secured(client.post("/api/v1/processes", data=b"<x/>", headers=bearer(tokens["manager"])), "API 403")


@pytest.mark.parametrize("query", ["", "?download=1"])
def test_diagram_sources_are_always_downloads(as_user, query):  # noqa: F811
    for username in ("manager", "admin"):
        for process_id in ("deal", "assignment"):
            response = as_user(username).get(f"/processes/{process_id}/v1.bpmn{query}")
            assert_download(response, f"{process_id}-v1.bpmn")
            assert response.headers["X-Frame-Options"] == "DENY" and response.headers["Referrer-Policy"]


def test_the_deal_card_viewer_is_told_where_the_source_is(app, as_user):  # noqa: F811
    number = make_deal(app)
    manager = as_user("manager")
    data = manager.get(f"/processes/deal/{number}/diagram.json").json
    assert_download(manager.get(data["bpmn_url"]), "deal-v1.bpmn")
