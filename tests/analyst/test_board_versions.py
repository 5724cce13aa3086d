"""The board after a deploy: columns follow the newest diagram, each card's moves follow its own deal's version."""
import re

from tests.analyst import diagrams

XML = {"Content-Type": "application/xml"}
BOARD = "/v2/journals?journalId=deals-journal&viewMode=kanban"


def allowed_on(page, number):
    """The data-allowed of the card of deal ``number`` in a board page or fragment."""
    card = re.search(rf'<article class="kcard" data-number="{number}"[^>]*data-allowed="([^"]*)"', page, re.S)
    assert card, f"no card of deal {number}"
    return card.group(1).split()


def create(client, company, status):
    r = client.post("/deals/new", data={"company": company})
    assert r.status_code == 302, r.data[:300]
    number = int(r.headers["Location"].rsplit("/", 1)[1])
    if status != "new":
        assert client.post(f"/deals/{number}/status", json={"status": status}).status_code == 200
    return number


def test_cards_move_by_their_own_version(as_user):
    manager = as_user("manager")
    old = create(manager, "ООО «Старая»", "offerPreparation")
    assert as_user("analyst").post("/processes/deploy", data=diagrams.camunda_tender(), headers=XML).status_code == 201
    new = create(manager, "ООО «Новая»", "offerPreparation")

    board = manager.get(BOARD).get_data(as_text=True)
    assert 'data-status="tender"' in board  # the newest diagram's column
    assert "tender" in allowed_on(board, new)
    assert "tender" not in allowed_on(board, old) and "prototype" in allowed_on(board, old)
    fragment = manager.get("/v2/journals/kanban/column?column=offerPreparation").get_data(as_text=True)
    assert "tender" in allowed_on(fragment, new) and "tender" not in allowed_on(fragment, old)

    # A drop answers with the card's next moves, from the deal's version too.
    r = manager.post(f"/deals/{old}/status", json={"status": "prototype"})
    assert r.status_code == 200 and "tender" not in r.json["allowed"] and "decision" in r.json["allowed"]
    r = manager.post(f"/deals/{new}/status", json={"status": "prototype"})
    assert r.status_code == 200 and "tender" in r.json["allowed"]


def test_a_stuck_deal_has_no_moves_on_the_board(as_user):
    manager = as_user("manager")
    assert as_user("analyst").post("/processes/deploy", data=diagrams.with_failing_script(),
                                   headers=XML).status_code == 201
    number = create(manager, "ООО «Застряла»", "firstContact")
    assert manager.post(f"/deals/{number}/status", json={"status": "presentation"},
                        headers={"Accept": "application/json"}).status_code == 409
    assert allowed_on(manager.get(BOARD).get_data(as_text=True), number) == []
