"""«Ожидаемая дата закрытия»: typed in the deal form, sent by the API, shown in the journal, counted by the forecast."""
import pytest

from tests.conftest import bearer


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


@pytest.fixture
def token(app, staff):
    from engine.db import db
    from processes import users
    with app.app_context():
        made = users.issue_token("manager")
        db.session.commit()
    return made


def test_the_form_the_api_and_the_journal_carry_the_expected_close_date(app, as_user, token):
    client = app.test_client()
    number = client.post("/api/v1/deals", json={"company": "ООО «Прогноз»", "budget": "1000",
                                                 "expected_close": "2026-12-20"}, headers=bearer(token)).json["number"]
    manager = as_user("manager")
    assert 'type="date"' in manager.get(f"/deals/{number}/edit").get_data(as_text=True)
    page = manager.get(f"/deals/{number}/edit").get_data(as_text=True)
    assert 'name="expected_close" value="2026-12-20"' in page
    version = client.get(f"/api/v1/deals/{number}", headers=bearer(token)).json["version"]
    saved = manager.post(f"/deals/{number}/edit", data={"company": "ООО «Прогноз»", "expected_close": "2027-01-15",
                                                         "version": str(version)})
    assert saved.status_code == 302
    assert client.get(f"/api/v1/deals/{number}", headers=bearer(token)).json["expected_close"] == "2027-01-15"
    bad = client.patch(f"/api/v1/deals/{number}", json={"expected_close": "soon"}, headers=bearer(token))
    assert bad.status_code == 422 and "expected_close" in bad.json["errors"]
    manager.post("/v2/journals/columns", data={"columns": ["number", "expected_close"]})
    journal = manager.get("/v2/journals?journalId=deals-journal&sort=expected_close").get_data(as_text=True)
    assert "15.01.2027" in journal
    forecast = client.get("/api/v1/analytics/forecast?from=2027-01-01&to=2027-01-31", headers=bearer(token)).json
    assert forecast["months"] == [{"month": "2027-01", "deals": 1, "budget": 1000.0, "weighted": 0.0}]
