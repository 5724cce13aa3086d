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
