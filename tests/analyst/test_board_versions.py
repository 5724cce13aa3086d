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


def test_deals_in_a_status_the_new_diagram_dropped_stay_on_the_board_and_in_the_journal(as_user):
    """«Прототип» is gone from the newest version: deals of the old one sitting there are not hidden."""
    manager = as_user("manager")
    stranded = create(manager, "ООО «Прототип»", "prototype")
    assert as_user("analyst").post("/processes/deploy", data=diagrams.camunda_tender(), headers=XML).status_code == 201
    assert as_user("analyst").post("/processes/deploy", data=diagrams.without_prototype(),
                                   headers=XML).status_code == 201

    board = manager.get(BOARD).get_data(as_text=True)
    column = re.search(r'<section class="kcolumn kcolumn-retired" data-status="prototype".*?</section>', board, re.S)
    assert column, "no column for the deals left in «Прототип»"
    assert "Прототип" in column.group(0) and "Нет в текущей схеме" in column.group(0)
    assert f'data-number="{stranded}"' in column.group(0)
    assert re.search(r'<span class="kcount">1</span>', column.group(0))
    assert "decision" in allowed_on(board, stranded)  # it moves on by its own version's flows
    fragment = manager.get("/v2/journals/kanban/column?column=prototype&before=999999")
    assert fragment.status_code == 200 and f'data-number="{stranded}"' in fragment.get_data(as_text=True)

    journal = manager.get("/v2/journals?journalId=deals-journal").get_data(as_text=True)
    assert '<span class="status status-prototype">Прототип</span>' in journal
    # Once it moves on, the column goes.
    assert manager.post(f"/deals/{stranded}/status", json={"status": "decision"}).status_code == 200
    assert 'data-status="prototype"' not in manager.get(BOARD).get_data(as_text=True)
