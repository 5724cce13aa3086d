"""The assignment pages: create from the deal card, the performer's verdict buttons, the journal."""
import re


def login(client, username):
    r = client.post("/login", data={"username": username, "password": "secret123"})
    assert r.status_code in (302, 303), r.data


def test_create_from_the_card_then_the_performer_takes_and_finishes(app, client, people, deal):
    login(client, "manager")
    card = client.get(f"/deals/{deal}").get_data(as_text=True)
    assert "create-assignment" in card and "Создать поручение" in card
    r = client.post(f"/deals/{deal}/assignments/new", data={
        "title": "Позвонить клиенту", "description": "", "performer": str(people["manager2"].id),
        "verifier": "", "due_at": "2999-01-01T10:00", "priority": "normal"})
    assert r.status_code == 302
    card = client.get(f"/deals/{deal}").get_data(as_text=True)
    assert "Позвонить клиенту" in card and "Новое" in card
    r = client.post(f"/deals/{deal}/assignments/new", data={"title": "", "performer": "", "due_at": ""})
    assert r.status_code == 422
    r = client.post(f"/deals/{deal}/assignments/new", data={"title": "Поздно", "performer": "manager2",
                                                            "due_at": "2020-01-01T10:00", "priority": "normal"})
    assert r.status_code == 422 and "этот срок уже прошёл" in r.get_data(as_text=True)
    assert 'value="Поздно"' in r.get_data(as_text=True)  # what was typed stays

    client.get("/logout")
    login(client, "manager2")
    tasks = client.get("/tasks").get_data(as_text=True)
    task_id = re.search(r'data-task="([^"]+)"[^>]*>\s*<td><a[^>]*>Новое', tasks).group(1)
    page = client.get(f"/tasks/{task_id}", follow_redirects=True).get_data(as_text=True)
    assert 'data-verdict="take"' in page and "В работу" in page
    r = client.post("/assignments/1/verdict", data={"verdict": "take", "version": "2"})
    assert r.status_code == 302
    page = client.get("/assignments/1").get_data(as_text=True)
    assert 'data-verdict="done"' in page and 'data-verdict="take"' not in page
    client.post("/assignments/1/verdict", data={"verdict": "done"})
    assert "Выполнено" in client.get(f"/deals/{deal}").get_data(as_text=True)
    journal = client.get("/assignments?scope=mine&status=done").get_data(as_text=True)
    assert "Позвонить клиенту" in journal


def test_only_the_owner_sees_verdict_buttons_and_others_get_403(client, people, deal, api):
    api.create(deal)
    login(client, "director")
    assert "data-verdict" not in client.get("/assignments/1").get_data(as_text=True)
    assert client.post("/assignments/1/verdict", data={"verdict": "take"}).status_code == 403


def rows(client, query=""):
    html = client.get(f"/assignments{query}").get_data(as_text=True)
    return re.findall(r'<tr data-assignment="\d+"[^>]*>\s*<td><a[^>]*>([^<]+)</a>', html)


def test_the_header_links_the_journal_and_its_filters_work(client, people, deal, api):
    mine = api.create(deal, title="Моё поручение").json                                  # manager → manager2
    api.create(deal, as_user="director", title="Поручение мне", performer="manager")    # director → manager
    late = api.create(deal, as_user="director", title="Чужое", performer="manager2").json
    api.verdict(mine["id"], "done", "manager2")
    from tasks.assignment_models import Assignment
    from engine.db import db
    db.session.get(Assignment, late["id"]).overdue = True
    db.session.commit()

    login(client, "manager")
    page = client.get("/tasks").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" id="nav-assignments">([^<]+)</a>', page)
    assert link.group(1) == "/assignments" and link.group(2) == "Поручения"
    journal = client.get(link.group(1)).get_data(as_text=True)
    for control in ('id="scope-mine"', 'id="scope-created"', 'id="filter-overdue"', 'id="filter-status"'):
        assert control in journal
    assert '<option value="inWork" >В работе</option>' in journal  # statuses from the diagram

    assert sorted(rows(client)) == ["Моё поручение", "Поручение мне", "Чужое"]
    assert rows(client, "?scope=mine") == ["Поручение мне"]
    assert rows(client, "?scope=created") == ["Моё поручение"]
    assert rows(client, "?overdue=1") == ["Чужое"]
    assert rows(client, "?status=done") == ["Моё поручение"]
    assert rows(client, "?scope=created&status=new") == []
    page = client.get("/assignments?overdue=1").get_data(as_text=True)
    assert 'class="overdue"' in page and "просрочено" in page.lower()
    assert client.get("/assignments?scope=everyone").status_code == 422


def test_my_tasks_name_the_assignment_and_mark_it_overdue(client, people, deal, api):
    from tasks.assignment_models import Assignment
    from engine.db import db
    a = api.create(deal, title="Перезвонить").json
    db.session.get(Assignment, a["id"]).overdue = True
    db.session.commit()
    login(client, "manager2")
    tasks = client.get("/tasks").get_data(as_text=True)
    assert "· Перезвонить" in tasks and 'class="overdue-mark"' in tasks
