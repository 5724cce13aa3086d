"""The board: columns from the deployed diagram, counts and sums, lazy pages, moves through move_deal."""
import re

from tests.web.helpers import make_deal, move, read_deal

BOARD = "/v2/journals?journalId=deals-journal&viewMode=kanban"
JSON = {"Accept": "application/json"}


def _columns(html):
    return re.findall(r'<section class="kcolumn" data-status="(\w+)"', html)


def test_columns_follow_the_diagram(app, as_user):
    with app.app_context():
        from processes import statuses
        expected = [s.code for s in statuses.current_model().board]
    html = as_user("manager").get(BOARD).get_data(as_text=True)
    assert _columns(html) == expected and "old" not in expected and "Не обработана" in html


def test_counts_sums_and_lazy_pages(app, as_user):
    for i in range(55):
        make_deal(app, company=f"Компания {i}", budget="1000")
    make_deal(app, company="Другая", status="firstContact", budget="2500.50")
    client = as_user("manager")
    html = client.get(BOARD).get_data(as_text=True)
    new = html.split('data-status="new"', 1)[1].split("</section>", 1)[0]
    assert '<span class="kcount">55</span>' in new and "55\xa0000,00" in new
    numbers = [int(n) for n in re.findall(r'class="kcard"[^>]*data-number="(\d+)"', new)]
    assert len(numbers) == 50 and numbers == sorted(numbers, reverse=True)
    assert f'data-before="{numbers[-1]}"' in new
    for number in numbers[:3]:  # cards leave the column while the board is open
        move(app, number, "firstContact")
    more = client.get(f"/v2/journals/kanban/column?column=new&before={numbers[-1]}").get_data(as_text=True)
    rest = [int(n) for n in re.findall(r'class="kcard"[^>]*data-number="(\d+)"', more)]
    assert len(rest) == 5 and max(rest) < numbers[-1]  # nothing skipped, nothing repeated
    filtered = client.get(BOARD + "&q=Другая").get_data(as_text=True)
    assert filtered.count('class="kcard"') == 1 and "2\xa0500,50" in filtered


def test_cards_know_where_they_may_go(app, as_user):
    number = make_deal(app, budget="10")
    html = as_user("manager").get(BOARD).get_data(as_text=True)
    with app.app_context():
        from processes import statuses
        allowed = statuses.current_model().allowed("new")
    assert f'data-number="{number}"' in html and f'data-allowed="{" ".join(allowed)}"' in html
    assert "completed" not in allowed


def _allowed_of(html, number):
    return re.search(rf'data-number="{number}"[^>]*data-allowed="([^"]*)"', html, re.S).group(1).split()


def test_a_card_offers_only_the_drops_its_viewer_may_make(app, as_user):
    """Another manager's deal and a deal waiting for the director are not draggable for a manager."""
    mine = make_deal(app, status="firstContact")
    theirs = make_deal(app, owner="manager2", status="firstContact")
    deciding = make_deal(app, status="firstContact")
    move(app, deciding, "decision")
    with app.app_context():
        from processes import statuses
        model = statuses.current_model()
    board = as_user("manager").get(BOARD).get_data(as_text=True)
    assert _allowed_of(board, mine) == model.allowed("firstContact")
    assert _allowed_of(board, theirs) == [] and _allowed_of(board, deciding) == []
    director = as_user("director").get(BOARD).get_data(as_text=True)
    assert _allowed_of(director, deciding) == model.allowed("decision") and "completed" in model.allowed("decision")
    admin = as_user("admin").get(BOARD).get_data(as_text=True)
    assert _allowed_of(admin, theirs) == model.allowed("firstContact")
    more = as_user("manager").get("/v2/journals/kanban/column?column=firstContact&before=999999").get_data(as_text=True)
    assert _allowed_of(more, theirs) == [] and _allowed_of(more, mine) == model.allowed("firstContact")
    # A drop answers with the next moves the mover still has: none once the deal waits for the director.
    r = as_user("manager").post(f"/deals/{mine}/status", json={"status": "decision"}, headers=JSON)
    assert r.status_code == 200 and r.json["allowed"] == []



def test_a_dropped_card_learns_its_new_days_and_owner(app, as_user):
    """An unowned deal dragged by a manager becomes theirs; the card says so and counts «0 дней»."""
    with app.app_context():
        from engine.db import db
        from processes import deals
        number = deals.create_deal({"company": "ООО «Из почты»"}, None).number
        db.session.commit()
    board = as_user("manager").get(BOARD).get_data(as_text=True)
    assert re.search(rf'data-number="{number}".*?<span class="kcard-owner">никто</span>', board, re.S)
    r = as_user("manager").post(f"/deals/{number}/status", json={"status": "firstContact"}, headers=JSON)
    assert r.status_code == 200, r.json
    assert (r.json["responsible"], r.json["days_text"]) == ("Manager", "0 дней")


def test_moves_allowed_forbidden_conflicting_and_refusal(app, as_user):
    number = make_deal(app)
    client = as_user("manager")
    url = f"/deals/{number}/status"
    response = client.post(url, json={"status": "completed", "version": 1}, headers=JSON)
    assert response.status_code == 422 and response.json["error"] == "invalid_transition"
    assert response.json["title"] and read_deal(app, number)[0] == "new"
    garbled = client.post(url, json={"status": "firstContact", "version": "abc"}, headers=JSON)
    assert garbled.status_code == 422 and "version" in garbled.json["errors"]
    response = client.post(url, json={"status": "firstContact", "version": 1}, headers=JSON)
    assert response.status_code == 200 and response.json["status_label"] == "Первичный контакт"
    assert "identifyNeeds" in response.json["allowed"]
    stale = client.post(url, json={"status": "identifyNeeds", "version": 1}, headers=JSON)
    assert stale.status_code == 409 and "изменил кто-то другой" in stale.json["explanation"]
    version = response.json["version"]
    no_reason = client.post(url, json={"status": "refusal", "version": version}, headers=JSON)
    assert no_reason.status_code == 422 and "comment" in no_reason.json["errors"]
    done = client.post(url, json={"status": "refusal", "version": version, "comment": "Дорого"}, headers=JSON)
    assert done.status_code == 200
    status, history = read_deal(app, number)
    assert status == "refusal" and history[-1] == ("firstContact", "refusal", "Дорого")
