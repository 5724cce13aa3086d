"""«Причины отказа»: admins keep the directory, a refusal names a reason (API, card, board), analytics counts them."""
import pytest

from tests.conftest import bearer


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


@pytest.fixture
def api(app, staff):
    from engine.db import db
    from processes import users
    with app.app_context():
        made = {name: users.issue_token(name) for name in ("manager", "director")}
        db.session.commit()
    return made, app.test_client()


def reason_ids(app):
    from processes import reasons
    with app.app_context():
        return {r.name: r.id for r in reasons.list_reasons(include_inactive=True)}


def test_an_admin_keeps_the_directory_and_others_may_not(as_user, app):
    admin = as_user("admin")
    assert "Высокая цена" in admin.get("/directories/refusal-reasons").get_data(as_text=True)
    assert admin.post("/directories/refusal-reasons", data={"name": "Дорого"}).status_code == 302
    assert admin.post("/directories/refusal-reasons", data={"name": "Дорого"}).status_code == 422  # unique
    expensive = reason_ids(app)["Дорого"]
    admin.post(f"/directories/refusal-reasons/{expensive}", data={"name": "Слишком дорого"})  # unticked: inactive
    assert "Слишком дорого" in reason_ids(app)
    assert as_user("manager").get("/directories/refusal-reasons").status_code == 403
    assert as_user("director").post("/directories/refusal-reasons", data={"name": "x"}).status_code == 403


def test_a_refusal_names_a_reason_with_a_comment_and_analytics_counts_it(app, api, as_user):
    tokens, client = api
    ids = reason_ids(app)
    numbers = [client.post("/api/v1/deals", json={"company": f"ООО «{i}»"}, headers=bearer(tokens["manager"]))
               .json["number"] for i in range(3)]
    refused = client.post(f"/api/v1/deals/{numbers[0]}/move", json={
        "status": "refusal", "reason_id": ids["Нет бюджета"], "comment": "вернуться в марте"},
        headers=bearer(tokens["manager"]))
    assert refused.status_code == 200
    history = client.get(f"/api/v1/deals/{numbers[0]}/history", headers=bearer(tokens["manager"])).json["history"]
    assert history[-1]["comment"] == "Нет бюджета: вернуться в марте"
    # The reason alone is a reason enough for a status that requires one.
    assert client.post(f"/api/v1/deals/{numbers[1]}/move", json={"status": "refusal", "reason_id": ids["Нет бюджета"]},
                       headers=bearer(tokens["manager"])).status_code == 200
    # The card's dialog sends the same form field.
    card = as_user("manager")
    assert 'name="reason_id"' in card.get(f"/deals/{numbers[2]}").get_data(as_text=True)
    card.post(f"/deals/{numbers[2]}/status", data={"status": "refusal", "reason_id": ids["Высокая цена"], "comment": "x"})
    wrong = client.post(f"/api/v1/deals/{numbers[2]}/move", json={"status": "new", "reason_id": ids["Высокая цена"]},
                        headers=bearer(tokens["manager"]))
    assert wrong.status_code == 422 and "reason_id" in wrong.json["errors"]
    reasons = client.get("/api/v1/analytics/win-rate", headers=bearer(tokens["director"])).json["reasons"]
    assert [(r["name"], r["count"]) for r in reasons] == [("Нет бюджета", 2), ("Высокая цена", 1)]


def test_the_board_offers_the_reasons_in_its_move_dialog(as_user):
    page = as_user("manager").get("/v2/journals?journalId=deals-journal&viewMode=kanban").get_data(as_text=True)
    assert 'id="move-reason" data-for="refusal"' in page and "Пропала потребность" in page
