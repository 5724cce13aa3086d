"""Acceptance: an assignment's full paths through the API, each step only by the right person."""
from tests.conftest import bearer


def status(api, assignment_id):
    return api.read(assignment_id)["status"]


def test_without_verifier_the_performer_takes_and_finishes(api, deal):
    r = api.create(deal)
    assert r.status_code == 201, r.json
    a = r.json
    assert (a["status"], a["status_label"], a["performer"], a["initiator"], a["verifier"]) == \
        ("new", "Новое", "manager2", "manager", None)
    assert [v["label"] for v in a["task"]["verdicts"]] == ["В работу", "На уточнение", "Выполнено"]
    [task] = api.tasks("manager2")
    assert (task["assignment"]["id"], task["name"], task["owner"], task["deal"]["number"]) == \
        (a["id"], "Новое", "manager2", deal)
    assert api.tasks("manager") == [] and api.tasks("manager2", "group") == []

    for outsider in ("manager", "director", "analyst", "admin"):
        assert api.verdict(a["id"], "take", outsider).status_code == 403
    assert api.verdict(a["id"], "take", "manager2").json["status"] == "inWork"
    assert api.verdict(a["id"], "take", "manager2").status_code == 422  # not a verdict of «В работе»
    done = api.verdict(a["id"], "done", "manager2").json
    assert (done["status"], done["status_label"], done.get("task")) == ("done", "Выполнено", None)
    assert done["completed_at"] is not None
    assert api.tasks("manager2") == []
    assert api.verdict(a["id"], "close", "manager2").status_code == 422  # nobody acts any more
    assert [(e["kind"], e["verdict"], e["to_status"]) for e in done["events"]] == [
        ("created", "", "new"), ("verdict", "take", "inWork"), ("verdict", "done", "done")]


def test_with_verifier_a_clarification_round_and_a_return(api, deal):
    a = api.create(deal, verifier="director").json
    r = api.verdict(a["id"], "clarify", "manager2")
    assert r.status_code == 422 and "comment" in r.json["errors"]  # a question needs words
    assert api.verdict(a["id"], "clarify", "manager2", "Какие цены: опт или розница?").json["status"] == \
        "clarification"
    [task] = api.tasks("manager")  # the initiator answers
    assert (task["name"], task["owner"]) == ("На уточнении", "manager")
    assert api.tasks("manager2") == []
    assert api.verdict(a["id"], "clarified", "manager2", "сам отвечу").status_code == 403
    assert api.verdict(a["id"], "clarified", "manager", "Опт").json["status"] == "inWork"

    assert api.verdict(a["id"], "done", "manager2").json["status"] == "verification"
    [check] = api.tasks("director")
    assert (check["name"], check["assignment"]["status"]) == ("На проверке", "verification")
    for outsider in ("manager", "manager2", "admin"):
        assert api.verdict(a["id"], "close", outsider).status_code == 403
    r = api.verdict(a["id"], "return", "director")
    assert r.status_code == 422 and "comment" in r.json["errors"]
    returned = api.verdict(a["id"], "return", "director", "Нет цен на доставку").json
    assert returned["status"] == "inWork" and returned["task"]["name"] == "В работе"  # not back to «Новое»
    assert [t["name"] for t in api.tasks("manager2")] == ["В работе"]

    assert api.verdict(a["id"], "done", "manager2").json["status"] == "verification"
    closed = api.verdict(a["id"], "close", "director").json
    assert closed["status"] == "done" and closed["completed_at"]
    assert [(e["kind"], e["verdict"], e["user"], e["to_status"]) for e in closed["events"]] == [
        ("created", "", "manager", "new"),
        ("verdict", "clarify", "manager2", "clarification"),
        ("verdict", "clarified", "manager", "inWork"),
        ("verdict", "done", "manager2", "verification"),
        ("verdict", "return", "director", "inWork"),
        ("verdict", "done", "manager2", "verification"),
        ("verdict", "close", "director", "done")]


def test_the_tasks_api_completes_an_assignment_task_with_a_verdict(api, client, tokens, deal):
    a = api.create(deal).json
    [task] = api.tasks("manager2")
    headers = bearer(tokens["manager2"])
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=headers).json["owner"] == "manager2"
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=bearer(tokens["manager"])).status_code == 403
    assert client.post(f"/api/v1/tasks/{task['id']}/unclaim", headers=headers).status_code == 403
    r = client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=headers)
    assert r.status_code == 422 and "verdict" in r.json["errors"]
    r = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"verdict": "done"},
                    headers=bearer(tokens["manager"]))
    assert r.status_code == 403
    r = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"verdict": "done"}, headers=headers)
    assert r.status_code == 200 and (r.json["id"], r.json["status"]) == (a["id"], "done")


def test_creating_checks_the_form_and_the_role(api, deal):
    r = api.create(deal, title="", performer="nobody", due_at="завтра", priority="urgent")
    assert r.status_code == 422
    assert set(r.json["errors"]) == {"title", "performer", "due_at", "priority"}
    assert api.create(deal, as_user="analyst").status_code == 403
    assert api.create(999, as_user="manager").status_code == 404
    r = api.create(deal, due_at="2999-01-31")
    assert r.json["due_at"].startswith("2999-01-31T20:59:59")  # the end of that day, Moscow time, in UTC
    r = api.create(deal, due_at="2020-01-01T10:00")
    assert r.status_code == 422 and r.json["errors"] == {"due_at": "the due date has already passed"}


def test_the_journal_filters_and_the_deal_lists_its_assignments(api, deal, client, tokens):
    mine = api.create(deal, title="Моё").json
    given = api.create(deal, as_user="director", title="От директора", performer="manager").json
    api.verdict(mine["id"], "done", "manager2")
    titles = lambda body: [a["title"] for a in body["assignments"]]  # noqa: E731
    assert titles(api.list("manager", scope="mine")) == ["От директора"]
    assert titles(api.list("manager", scope="created")) == ["Моё"]
    assert titles(api.list("manager2", scope="mine")) == ["Моё"]
    assert titles(api.list("manager", status="done")) == ["Моё"]
    assert api.list("manager", overdue="1")["total"] == 0
    r = client.get("/api/v1/assignments", query_string={"scope": "everyone"}, headers=bearer(tokens["manager"]))
    assert r.status_code == 422
    r = client.get(f"/api/v1/deals/{deal}/assignments", headers=bearer(tokens["analyst"]))
    assert [a["id"] for a in r.json["assignments"]] == [given["id"], mine["id"]]
