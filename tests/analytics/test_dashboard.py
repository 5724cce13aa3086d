"""The process dashboard across versions: a deploy and a migration no longer reset it; the real paths."""
from datetime import timedelta

import pytest

from tests.analyst import diagrams
from tests.conftest import bearer

JSON = {"Accept": "application/json", "Content-Type": "application/xml"}


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


@pytest.fixture
def api(app, staff):
    from engine.db import db
    from processes import users
    with app.app_context():
        made = {name: users.issue_token(name) for name in ("manager", "director", "analyst")}
        db.session.commit()
    return made, app.test_client()


def count(page, node):
    return page.split(f'<tr data-node="{node}">', 1)[1].split('<td class="count">', 1)[1].split("<", 1)[0]


def test_after_a_deploy_and_a_migration_the_dashboard_still_counts_deals_completed_on_the_old_version(as_user, api):
    tokens, client = api
    numbers = [client.post("/api/v1/deals", json={"company": f"ООО «{i}»"}, headers=bearer(tokens["manager"]))
               .json["number"] for i in range(3)]
    for number in numbers[:2]:
        assert client.post(f"/api/v1/deals/{number}/move", json={"status": "decision"},
                           headers=bearer(tokens["manager"])).status_code == 200
        assert client.post(f"/api/v1/deals/{number}/move", json={"status": "completed"},
                           headers=bearer(tokens["director"])).status_code == 200
    analyst = as_user("analyst")
    assert count(analyst.get("/processes/deal/v1/dashboard").get_data(as_text=True), "completed") == "2"
    assert analyst.post("/processes/deploy", data=diagrams.camunda_tender(), headers=JSON).status_code in (200, 201)
    analyst.post("/processes/deal/migrate", data={"to_version": "2", "run": "1", "confirm": "1"})  # the open deal: v2
    assert client.get(f"/api/v1/deals/{numbers[2]}", headers=bearer(tokens["manager"])).json["process_version"] == 2
    newest = analyst.get("/processes/deal/v2/dashboard").get_data(as_text=True)
    assert count(newest, "completed") == "2"  # completed on v1, counted on v2's dashboard
    assert count(newest, "new") == "1"
    only_v2 = analyst.get("/processes/deal/v2/dashboard?only=2").get_data(as_text=True)
    assert count(only_v2, "completed") == "0" and count(only_v2, "new") == "1"
    # The real paths: both wins went new → decision → completed; the table and the diagram's data say so.
    assert '<tr data-from="new" data-to="decision">' in newest and '<tr data-from="decision" data-to="completed">' in newest
    assert 'id="no-moves-apart"' in newest


def test_a_move_the_diagram_no_longer_allows_is_listed_apart(app, as_user, api):
    from engine.clock import utcnow
    from engine.db import db
    from processes.models import Deal, DealHistory
    tokens, client = api
    number = client.post("/api/v1/deals", json={"company": "ООО «Старое»"}, headers=bearer(tokens["manager"])).json["number"]
    with app.app_context():  # an old diagram let «Первичный контакт» close a deal directly
        deal = Deal.query.filter_by(number=number).one()
        now = utcnow()
        db.session.add_all([
            DealHistory(deal_id=deal.id, at=now - timedelta(days=3), kind="move", from_status="new",
                        to_status="firstContact"),
            DealHistory(deal_id=deal.id, at=now - timedelta(days=1), kind="move", from_status="firstContact",
                        to_status="completed")])
        db.session.commit()
    page = as_user("director").get("/processes/deal/v1/dashboard").get_data(as_text=True)
    apart = page.split('id="moves-apart"', 1)[1].split("</table>", 1)[0]
    assert '<tr data-from="firstContact" data-to="completed">' in apart
    drawn = page.split('id="real-paths"', 1)[1].split("</table>", 1)[0]
    assert '<tr data-from="new" data-to="firstContact">' in drawn and "firstContact\" data-to=\"completed" not in drawn
