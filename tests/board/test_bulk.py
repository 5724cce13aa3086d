"""Bulk actions of the journal: each deal through the usual rules, a report of what was done and refused."""
import re

import pytest

from processes import bulk
from tests.web.helpers import make_deal, move, read_deal

pytestmark = pytest.mark.usefixtures("staff")


def _report(html):
    """{number: (outcome, reason)} of the result page."""
    rows = re.findall(r'<tr data-number="(\d+)" class="bulk-(done|refused)">.*?class="bulk-reason">(.*?)</td>',
                      html, re.S)
    return {int(n): (outcome, reason.strip()) for n, outcome, reason in rows}


def test_bulk_move_goes_through_the_diagram_and_the_lanes(app, as_user):
    mine = make_deal(app, status="firstContact")
    other = make_deal(app, owner="manager2", status="firstContact")  # another manager's
    waiting = make_deal(app, status="new")
    move(app, waiting, "decision")  # the director's lane now
    response = as_user("manager").post("/v2/journals/bulk", data={
        "action": "move", "status": "identifyNeeds", "numbers": [str(mine), str(other), str(waiting)]})
    assert response.status_code == 200
    report = _report(response.get_data(as_text=True))
    assert report[mine] == ("done", "")
    assert report[other][0] == "refused" and "не разрешено" in report[other][1] and "another manager" in report[other][1]
    assert report[waiting][0] == "refused" and "director" in report[waiting][1]
    assert "Сделано: 1. Отказано: 2." in response.get_data(as_text=True)
    assert read_deal(app, mine)[0] == "identifyNeeds" and read_deal(app, other)[0] == "firstContact"


def test_bulk_move_needs_the_reason_the_diagram_asks_for(app, as_user):
    number = make_deal(app, status="firstContact")
    manager = as_user("manager")
    refused = _report(manager.post("/v2/journals/bulk", data={"action": "move", "status": "refusal",
                                                               "numbers": str(number)}).get_data(as_text=True))
    assert refused[number] == ("refused", "для этого статуса укажите причину")
    done = _report(manager.post("/v2/journals/bulk", data={"action": "move", "status": "refusal", "comment": "Дорого",
                                                            "numbers": str(number)}).get_data(as_text=True))
    assert done[number][0] == "done" and read_deal(app, number)[1][-1][2] == "Дорого"


def test_bulk_change_responsible_for_all_that_match_the_filter(app, as_user):
    with app.app_context():
        from processes import users
        target = users.get_by_username("manager2").id
    matching = [make_deal(app, name="Тендер А"), make_deal(app, name="Тендер Б")]
    theirs = make_deal(app, owner="manager2", name="Тендер В")
    untouched = make_deal(app, name="Другое")
    director = as_user("director")
    page = director.post("/v2/journals/bulk", data={"action": "responsible", "responsible_id": str(target),
                                                    "scope": "all", "filter.q": "Тендер"}).get_data(as_text=True)
    assert set(_report(page)) == {*matching, theirs} and all(o == "done" for o, _ in _report(page).values())
    manager = as_user("manager")  # a manager edits only their own deals
    report = _report(manager.post("/v2/journals/bulk", data={
        "action": "responsible", "responsible_id": "", "numbers": [str(theirs), str(untouched)]}).get_data(as_text=True))
    assert report[untouched] == ("done", "") and report[theirs][0] == "refused"
    with app.app_context():
        from processes import deals
        assert [deals.get_deal(n).responsible_id for n in matching] == [target, target]
        assert deals.get_deal(untouched).responsible_id is None


def test_bulk_refuses_an_empty_choice_and_too_wide_a_filter(app, as_user, monkeypatch):
    manager = as_user("manager")
    empty = manager.post("/v2/journals/bulk", data={"action": "move", "status": "pause"})
    assert empty.status_code == 422 and 'id="bulk-errors"' in empty.get_data(as_text=True)
    assert manager.post("/v2/journals/bulk", data={"action": "drop", "numbers": "1"}).status_code == 422
    monkeypatch.setattr(bulk, "MOST", 1)
    make_deal(app), make_deal(app)
    wide = manager.post("/v2/journals/bulk", data={"action": "move", "status": "pause", "scope": "all"})
    assert wide.status_code == 422 and "narrow the filter" in wide.get_data(as_text=True)


def test_bulk_note_lands_on_each_deals_timeline_and_an_empty_one_is_refused(app, as_user):
    first, second = make_deal(app, status="firstContact"), make_deal(app, owner="manager2", status="firstContact")
    manager = as_user("manager")
    assert 'value="note"' in manager.get("/v2/journals?journalId=deals-journal").get_data(as_text=True)
    html = manager.post("/v2/journals/bulk", data={"action": "note", "text": "Клиент вернулся из отпуска",
                                                   "numbers": [str(first), str(second)]}).get_data(as_text=True)
    assert set(_report(html)) == {first, second} and all(o == "done" for o, _ in _report(html).values())
    for number in (first, second):
        card = manager.get(f"/deals/{number}").get_data(as_text=True)
        assert card.count('<div class="note-text pre">Клиент вернулся из отпуска</div>') == 1
    empty = manager.post("/v2/journals/bulk", data={"action": "note", "text": " ", "numbers": str(first)})
    assert _report(empty.get_data(as_text=True))[first][0] == "refused"


def test_the_english_report(app, as_user):
    number = make_deal(app, owner="manager2", status="firstContact")
    manager = as_user("manager")
    manager.get("/lang/en")
    html = manager.post("/v2/journals/bulk", data={"action": "move", "status": "identifyNeeds",
                                                   "numbers": str(number)}).get_data(as_text=True)
    assert "Done: 0. Refused: 1." in html and "not allowed: deal" in html and "Back to the journal" in html
