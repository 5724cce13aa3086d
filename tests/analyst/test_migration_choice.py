"""Migration with choice: picked deals, a journal filter, a confirmation in the UI, and undo."""
import pytest

from tests.analyst import diagrams
from tests.conftest import bearer

XML = {"Content-Type": "application/xml"}


@pytest.fixture
def api(app, staff):
    from engine.db import db
    from processes import users
    with app.app_context():
        made = {name: users.issue_token(name) for name in ("manager", "analyst")}
        db.session.commit()
    return made, app.test_client()


def ten_deals_and_v2(api):
    tokens, client = api
    numbers = [client.post("/api/v1/deals", json={"company": f"ООО «Сделка {i}»",
                                                   "status": "presentation" if i % 2 else "firstContact"},
                           headers=bearer(tokens["manager"])).json["number"] for i in range(10)]
    r = client.post("/api/v1/processes", data=diagrams.camunda_tender(), headers={**bearer(tokens["analyst"]), **XML})
    assert r.json["processes"][0]["version"] == 2
    return numbers


def versions_of(api, numbers):
    tokens, client = api
    return {n: client.get(f"/api/v1/deals/{n}", headers=bearer(tokens["manager"])).json["process_version"]
            for n in numbers}


def migrate(api, **body):
    tokens, client = api
    return client.post("/api/v1/processes/deal/migrate", json={"to_version": 2, **body},
                       headers=bearer(tokens["analyst"]))


def undo(api, batch_id, dry_run=False):
    tokens, client = api
    return client.post(f"/api/v1/processes/deal/migrations/{batch_id}/undo", json={"dry_run": dry_run},
                       headers=bearer(tokens["analyst"]))


def test_three_picked_of_ten_move_and_undo_moves_them_back(api):
    numbers = ten_deals_and_v2(api)
    picked = [numbers[1], numbers[4], numbers[7]]
    dry = migrate(api, numbers=picked).json
    assert [d["number"] for d in dry["deals"]] == picked and dry["dry_run"] and dry["batch_id"] is None
    assert set(versions_of(api, numbers).values()) == {1}
    r = migrate(api, numbers=picked, dry_run=False).json
    assert r["moved"] == 3 and r["batch_id"]
    assert versions_of(api, numbers) == {n: 2 if n in picked else 1 for n in numbers}
    preview = undo(api, r["batch_id"], dry_run=True).json
    assert preview["moved"] == 3, preview
    assert set(versions_of(api, picked).values()) == {2}
    back = undo(api, r["batch_id"]).json
    assert back["moved"] == 3 and [d["to_version"] for d in back["deals"]] == [1, 1, 1]
    assert set(versions_of(api, numbers).values()) == {1}
    again = undo(api, r["batch_id"])
    assert again.status_code == 409 and "already undone" in again.json["message"]


def test_undo_leaves_a_deal_that_moved_since(api):
    tokens, client = api
    numbers = ten_deals_and_v2(api)
    r = migrate(api, numbers=numbers[:2], dry_run=False).json
    assert client.post(f"/api/v1/deals/{numbers[0]}/move", json={"status": "tender"},
                       headers=bearer(tokens["manager"])).status_code == 200
    back = undo(api, r["batch_id"]).json
    by_number = {d["number"]: d for d in back["deals"]}
    assert by_number[numbers[0]]["moved"] is False and "moved since" in by_number[numbers[0]]["reason"]
    assert by_number[numbers[1]]["moved"] is True
    assert versions_of(api, numbers[:2]) == {numbers[0]: 2, numbers[1]: 1}


def test_a_journal_filter_chooses_the_deals(api):
    numbers = ten_deals_and_v2(api)
    r = migrate(api, filter={"status": "firstContact"}).json
    assert [d["number"] for d in r["deals"]] == numbers[0::2]
    assert migrate(api, filter={"responsible": "x"}).status_code == 422


def test_the_page_needs_a_confirmation_and_moves_only_the_ticked_deals(api, as_user):
    numbers = ten_deals_and_v2(api)
    analyst = as_user("analyst")
    page = analyst.post("/processes/deal/migrate", data={"to_version": "2", "run": "0", "scope": "picked",
                                                         "numbers": f"{numbers[2]}, {numbers[3]} {numbers[5]}"})
    text = page.get_data(as_text=True)
    assert text.count('name="deal"') == 3 and 'id="migration-confirm"' in text and "required" in text
    refused = analyst.post("/processes/deal/migrate", data={"to_version": "2", "run": "1",
                                                            "deal": [str(numbers[2]), str(numbers[3])]})
    assert refused.status_code == 422 and set(versions_of(api, numbers).values()) == {1}
    done = analyst.post("/processes/deal/migrate", data={"to_version": "2", "run": "1", "confirm": "1",
                                                         "deal": [str(numbers[2]), str(numbers[3])]})
    assert done.status_code == 200
    assert versions_of(api, numbers) == {n: 2 if n in numbers[2:4] else 1 for n in numbers}
    listing = analyst.get("/processes/").get_data(as_text=True)
    batch = listing.split('data-batch="')[1].split('"')[0]
    assert analyst.post(f"/processes/deal/migrations/{batch}/undo", data={}).status_code == 422
    assert analyst.post(f"/processes/deal/migrations/{batch}/undo", data={"confirm": "1"}).status_code == 200
    assert set(versions_of(api, numbers).values()) == {1}
    assert "отменён" in analyst.get("/processes/").get_data(as_text=True)


def test_cli_migrates_picked_deals_and_undoes(api, runner):
    from web.cli import main
    numbers = ten_deals_and_v2(api)
    result = runner.invoke(main, args=["process", "migrate", "deal", "--to-version", "2",
                                       "--deal", str(numbers[0]), "--deal", str(numbers[9])])
    assert result.exit_code == 0 and result.stdout.strip().endswith("2 moved, 0 cannot"), result.output
    batch = result.stdout.split("batch ")[1].split()[0]
    assert versions_of(api, numbers) == {n: 2 if n in (numbers[0], numbers[9]) else 1 for n in numbers}
    result = runner.invoke(main, args=["process", "undo-migration", "deal", batch])
    assert result.exit_code == 0 and result.stdout.strip().endswith("2 moved, 0 cannot"), result.output
    assert set(versions_of(api, numbers).values()) == {1}
