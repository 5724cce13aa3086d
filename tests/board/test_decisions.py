"""«Решения»: the director's list of waiting decisions, the decision page, and when a claim is needed."""
import re

import pytest

from engine.db import db
from processes import users
from tests.web.helpers import make_deal, move, read_deal

pytestmark = pytest.mark.usefixtures("staff")


def _task_of(html, number):
    match = re.search(rf'<tr data-task="([\w-]+)" data-number="{number}"', html)
    return match.group(1) if match else None


def _second_director(app):
    with app.app_context():
        users.create_user("director2", "director", "secret123", "Второй Директор")
        db.session.commit()


def test_director_lands_on_decisions_oldest_first_with_budget_manager_and_days(app, as_user, client):
    older = make_deal(app, name="Первая", budget="150000")
    newer = make_deal(app, name="Вторая", budget="90000")
    move(app, older, "decision", comment="Прошу одобрить")
    move(app, newer, "decision")
    response = client.post("/login", data={"username": "director", "password": "secret123"})
    assert response.headers["Location"] == "/decisions"
    html = client.get("/decisions").get_data(as_text=True)
    assert html.index(f'data-number="{older}"') < html.index(f'data-number="{newer}"')
    row = html[html.index(f'data-number="{older}"'):html.index(f'data-number="{newer}"')]
    assert "150\u00a0000,00\u00a0₽" in row and "Manager" in row and "0 дней" in row
    assert 'id="decision-count">2</span>' in html
    assert "Взять" not in row  # a lone director decides without a claim
    manager = client.post("/login", data={"username": "manager", "password": "secret123"})
    assert manager.headers["Location"].startswith("/v2/journals")


def test_a_manager_has_no_decisions_list(as_user):
    assert as_user("manager").get("/decisions").status_code == 403
    assert 'id="nav-decisions"' not in as_user("manager").get("/tasks").get_data(as_text=True)


def test_lone_director_decides_without_claim_back_to_decisions(app, as_user):
    number = make_deal(app)
    move(app, number, "decision", comment="Клиент готов")
    director = as_user("director")
    task = _task_of(director.get("/decisions").get_data(as_text=True), number)
    page = director.get(f"/tasks/{task}?back=decisions").get_data(as_text=True)
    assert 'id="decision-form"' in page and 'id="claim-box"' not in page
    response = director.post(f"/tasks/{task}/complete", data={"status": "completed", "back": "decisions"})
    assert response.status_code == 302 and response.headers["Location"] == "/decisions"
    assert read_deal(app, number)[0] == "completed"


def test_two_directors_claim_first_and_the_page_shows_who_holds_it(app, as_user):
    _second_director(app)
    number = make_deal(app)
    move(app, number, "decision")
    first, second = as_user("director"), as_user("director2")
    task = _task_of(first.get("/decisions").get_data(as_text=True), number)
    assert 'id="claim-task"' in first.get(f"/tasks/{task}").get_data(as_text=True)
    assert first.post(f"/tasks/{task}/complete", data={"status": "completed"}).status_code == 403
    claimed = first.post(f"/tasks/{task}/claim", data={"back": "decision", "then": "decisions"})
    assert claimed.headers["Location"] == f"/tasks/{task}?back=decisions"
    other_view = second.get(f"/tasks/{task}").get_data(as_text=True)
    assert "Взял(а): Director" in other_view and 'id="decision-form"' not in other_view
    assert "Взял(а): Director" in second.get("/decisions").get_data(as_text=True)
    assert second.post(f"/tasks/{task}/complete", data={"status": "completed"}).status_code == 403
    assert first.post(f"/tasks/{task}/complete", data={"status": "completed"}).status_code == 302
    assert read_deal(app, number)[0] == "completed"


def test_two_directors_the_card_move_also_needs_the_claim(app, as_user):
    _second_director(app)
    number = make_deal(app)
    move(app, number, "decision")
    first, second = as_user("director"), as_user("director2")
    # «Изменить статус» on the card is no way around the claim
    assert second.post(f"/deals/{number}/status", data={"status": "completed"}).status_code == 403
    task = _task_of(first.get("/decisions").get_data(as_text=True), number)
    first.post(f"/tasks/{task}/claim", data={"back": "decision", "then": "decisions"})
    assert second.post(f"/deals/{number}/status", data={"status": "completed"}).status_code == 403
    assert read_deal(app, number)[0] == "decision"
    assert first.post(f"/deals/{number}/status", data={"status": "completed"}).status_code in (200, 302)
    assert read_deal(app, number)[0] == "completed"


def test_decision_page_shows_fields_history_assignments_and_marks_reasons(app, as_user):
    number = make_deal(app, name="Поставка", contact_name="Иван Петров", budget="5000")
    move(app, number, "decision", comment="Скидка 5%, прошу одобрить")
    director = as_user("director")
    task = _task_of(director.get("/decisions").get_data(as_text=True), number)
    page = director.get(f"/tasks/{task}").get_data(as_text=True)
    assert "Иван Петров" in page and 'id="history"' in page and 'id="decision-assignments"' in page
    assert 'id="manager-comment"' in page and "Скидка 5%, прошу одобрить" in page
    marked = dict(re.findall(r'value="(\w+)" required data-comment-required="(\w+)"', page))
    # «Отказ» needs a reason on its status, «На доработку» on its flow from the decision.
    assert marked == {"completed": "false", "offerPreparation": "true", "pause": "false", "refusal": "true"}
    refused = director.post(f"/tasks/{task}/complete", data={"status": "offerPreparation"})
    assert refused.status_code == 422
    assert re.search(r'<textarea name="comment"[^>]* required', refused.get_data(as_text=True))
    assert read_deal(app, number)[0] == "decision"


def test_the_english_decisions_page(app, as_user):
    number = make_deal(app)
    move(app, number, "decision")
    director = as_user("director")
    director.get("/lang/en")
    html = director.get("/decisions").get_data(as_text=True)
    assert "Decisions" in html and "1 deal waits" in html and "Waiting" in html
    task = _task_of(html, number)
    assert "reason required" in director.get(f"/tasks/{task}").get_data(as_text=True)
