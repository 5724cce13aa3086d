"""Task lists, claim/unclaim, and the director's decision form."""
import re

from engine.db import db
from processes import deals, users
from tests.web.helpers import make_deal, move, read_deal


def _task_id(html, number):
    match = re.search(rf'<tr data-task="([\w-]+)" data-number="{number}"', html)
    return match.group(1) if match else None


def test_my_and_group_tasks_with_claim_and_unclaim(app, as_user):
    mine = make_deal(app)
    free = make_deal(app, responsible_id="")
    manager, other = as_user("manager"), as_user("manager2")
    html = manager.get("/tasks").get_data(as_text=True)
    # «Мои задачи» is what needs the manager now: their deal, and the unprocessed one nobody took yet
    assert _task_id(html, mine) and _task_id(html, free)
    assert '<span class="badge" id="my-task-count">2</span>' in html
    group = other.get("/tasks/group").get_data(as_text=True)
    task = _task_id(group, free)
    assert task and not _task_id(group, mine)
    assert other.post(f"/tasks/{task}/claim").status_code == 302
    assert _task_id(other.get("/tasks").get_data(as_text=True), free)
    taken = manager.get("/tasks").get_data(as_text=True)
    assert not _task_id(taken, free) and '<span class="badge" id="my-task-count">1</span>' in taken
    assert manager.post(f"/tasks/{task}/claim").status_code == 409
    assert other.post(f"/tasks/{task}/unclaim").status_code == 302
    assert _task_id(manager.get("/tasks/group").get_data(as_text=True), free)


def test_director_decides_with_choices_from_the_diagram(app, as_user):
    number = make_deal(app, name="Крупный контракт")
    move(app, number, "decision", comment="Прошу одобрить")
    director = as_user("director")
    task = _task_id(director.get("/tasks/group").get_data(as_text=True), number)
    assert director.post(f"/tasks/{task}/claim").status_code == 302
    page = director.get(f"/tasks/{task}").get_data(as_text=True)
    assert "Крупный контракт" in page and "Прошу одобрить" in page
    choices = re.findall(r'name="status" value="(\w+)"', page)
    assert sorted(choices) == ["completed", "offerPreparation", "pause", "refusal"]
    assert as_user("manager").post(f"/tasks/{task}/complete", data={"status": "completed"}).status_code == 403
    refused = director.post(f"/tasks/{task}/complete", data={"status": "refusal", "version": "2"})
    assert refused.status_code == 422 and "Для этого выбора нужна причина" in refused.get_data(as_text=True)
    response = director.post(f"/tasks/{task}/complete", data={"status": "offerPreparation", "version": "2",
                                                              "comment": "Доработать КП"})
    assert response.status_code == 302
    status, history = read_deal(app, number)
    assert status == "offerPreparation" and history[-1] == ("decision", "offerPreparation", "Доработать КП")
    assert "Подготовка КП" in director.get("/tasks").get_data(as_text=True)  # the flash names the new status


def test_director_completes(app, as_user):
    number = make_deal(app)
    move(app, number, "decision")
    director = as_user("director")
    task = _task_id(director.get("/tasks/group").get_data(as_text=True), number)
    assert director.post(f"/tasks/{task}/complete", data={"status": "completed"}).status_code == 302
    assert read_deal(app, number)[0] == "completed"
    assert not _task_id(director.get("/tasks/group").get_data(as_text=True), number)


def test_my_tasks_come_by_pages_of_fifty(app, as_user):
    numbers = [make_deal(app) for _ in range(51)]
    manager = as_user("manager")
    first = manager.get("/tasks").get_data(as_text=True)
    second = manager.get("/tasks?page=2").get_data(as_text=True)
    assert [n for n in numbers if _task_id(first, n)] == numbers[:50]
    assert [n for n in numbers if _task_id(second, n)] == numbers[50:]
    assert 'id="tasks-pager"' in first and "?page=2" in first
    assert '<span class="badge" id="my-task-count">51</span>' in second


def test_the_header_badge_says_99_plus_from_a_hundred_tasks(app, as_user):
    for _ in range(99):
        make_deal(app)
    manager = as_user("manager")
    # «Мои задачи» counts every task for its list and the header; other pages count up to a hundred.
    pages = ("/tasks", "/v2/journals?journalId=deals-journal")
    for page in pages:
        assert '<span class="badge" id="my-task-count">99</span>' in manager.get(page).get_data(as_text=True)
    make_deal(app)
    for page in pages:
        assert '<span class="badge" id="my-task-count">99+</span>' in manager.get(page).get_data(as_text=True)


def test_group_tasks_come_by_pages_without_a_count(app, as_user):
    """Deals nobody is responsible for wait in «Задачи группы»: fifty a page, then «Next» while more follow."""
    with app.app_context():
        director = users.get_by_username("director")
        numbers = [deals.create_deal({"company": f"ООО «Ничья {i}»"}, director).number for i in range(51)]
        db.session.commit()
    manager = as_user("manager")
    first = manager.get("/tasks/group").get_data(as_text=True)
    second = manager.get("/tasks/group?page=2").get_data(as_text=True)
    assert len([n for n in numbers if _task_id(first, n)]) == 50 and len([n for n in numbers if _task_id(second, n)]) == 1
    assert re.search(r'<nav class="pager" id="tasks-pager">\s*<a href="[^"]*page=2" id="next-page">', first)
    assert "page=1" in second and 'id="next-page"' not in second and "Страница" not in second
