"""Tasks through the API: group tasks by lane, claim, complete; statuses and process endpoints."""
from tests.conftest import bearer


def tasks(client, tokens, user, scope="mine"):
    r = client.get("/api/v1/tasks", query_string={"scope": scope}, headers=bearer(tokens[user]))
    assert r.status_code == 200, r.json
    return r.json["tasks"]


def deal_of(task):
    return task["deal"]["number"]


def test_unowned_deal_is_a_group_task_for_managers_until_claimed(client, tokens, people):
    r = client.post("/api/v1/deals", json={"company": "Письмо с сайта"}, headers=bearer(tokens["director"]))
    deal = r.json
    assert deal["responsible"] is None and deal["status"] == "new"
    group = tasks(client, tokens, "manager", "group")
    assert [(deal_of(t), t["node_id"], t["lane"], t["owner"]) for t in group] == [(1, "new", "manager", None)]
    assert [deal_of(t) for t in tasks(client, tokens, "manager2", "group")] == [1]
    assert tasks(client, tokens, "director", "group") == [] and tasks(client, tokens, "manager") == []

    task_id = group[0]["id"]
    r = client.post(f"/api/v1/tasks/{task_id}/claim", headers=bearer(tokens["director"]))
    assert r.status_code == 403  # a manager-lane task is for managers
    r = client.post(f"/api/v1/tasks/{task_id}/claim", headers=bearer(tokens["manager2"]))
    assert r.status_code == 200 and r.json["owner"] == "manager2"
    assert client.get("/api/v1/deals/1", headers=bearer(tokens["manager"])).json["responsible"] == "manager2"
    assert tasks(client, tokens, "manager", "group") == []
    assert [deal_of(t) for t in tasks(client, tokens, "manager2")] == [1]
    r = client.post(f"/api/v1/tasks/{task_id}/claim", headers=bearer(tokens["manager"]))
    assert r.status_code == 409  # already taken
    r = client.post(f"/api/v1/tasks/{task_id}/unclaim", headers=bearer(tokens["manager"]))
    assert r.status_code in (403, 409)  # only whoever took it gives it back
    r = client.post(f"/api/v1/tasks/{task_id}/unclaim", headers=bearer(tokens["manager2"]))
    assert r.status_code == 200 and r.json["owner"] is None
    assert client.get("/api/v1/deals/1", headers=bearer(tokens["manager"])).json["responsible"] is None
    assert [deal_of(t) for t in tasks(client, tokens, "manager", "group")] == [1]


def test_complete_moves_the_deal_and_decision_lands_with_the_director(client, tokens):
    client.post("/api/v1/deals", json={"company": "ООО «Вектор»"}, headers=bearer(tokens["manager"]))
    [task] = tasks(client, tokens, "manager")
    r = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"status": "decision"},
                    headers=bearer(tokens["manager2"]))
    assert r.status_code == 403
    r = client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=bearer(tokens["manager"]))
    assert r.status_code == 422 and "status" in r.json["errors"]
    r = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"status": "decision"},
                    headers=bearer(tokens["manager"]))
    assert r.status_code == 200 and r.json["status"] == "decision"
    assert tasks(client, tokens, "manager") == []

    [decision] = tasks(client, tokens, "director", "group")
    assert (decision["node_id"], decision["lane"], deal_of(decision)) == ("decision", "director", 1)
    assert tasks(client, tokens, "manager", "group") == []
    r = client.post(f"/api/v1/tasks/{decision['id']}/claim", headers=bearer(tokens["director"]))
    assert r.status_code == 200 and r.json["owner"] == "director"
    assert [t["id"] for t in tasks(client, tokens, "director")] == [decision["id"]]
    r = client.post(f"/api/v1/tasks/{decision['id']}/complete", json={"status": "completed"},
                    headers=bearer(tokens["manager"]))
    assert r.status_code == 403
    r = client.post(f"/api/v1/tasks/{decision['id']}/complete",
                    json={"status": "completed", "comment": "Договор подписан"}, headers=bearer(tokens["director"]))
    assert r.status_code == 200 and r.json["status"] == "completed"
    assert tasks(client, tokens, "director") == [] and tasks(client, tokens, "director", "group") == []
    r = client.post(f"/api/v1/tasks/{decision['id']}/complete", json={"status": "completed"},
                    headers=bearer(tokens["director"]))
    assert r.status_code == 404


def test_unknown_task_and_bad_scope(client, tokens):
    r = client.post("/api/v1/tasks/no-such-task/claim", headers=bearer(tokens["manager"]))
    assert r.status_code == 404
    r = client.get("/api/v1/tasks", query_string={"scope": "everyone"}, headers=bearer(tokens["manager"]))
    assert r.status_code == 422


def test_statuses_stages_and_allowed_moves(client, tokens):
    r = client.get("/api/v1/process/statuses", headers=bearer(tokens["analyst"]))
    body = r.json
    by_code = {s["code"]: s for s in body["statuses"]}
    assert by_code["new"]["label"] == "Не обработана" and by_code["new"]["stage"] == "0% Обработка"
    assert by_code["decision"]["lane"] == "director" and by_code["completed"]["final"] is True
    assert by_code["old"]["archive"] is True
    assert set(by_code["decision"]["moves"]) == {"completed", "offerPreparation", "pause", "refusal"}
    assert "completed" not in by_code["prototype"]["moves"] and "decision" in by_code["prototype"]["moves"]
    assert by_code["completed"]["moves"] == []
    stages = [(s["name"], s["percent"]) for s in body["stages"]]
    assert stages[:5] == [("0% Обработка", 0), ("20% Квалификация", 20), ("40% Развитие", 40),
                          ("60% Подтверждение", 60), ("100% Победа", 100)]
    assert {"firstContact", "identifyNeeds"} == set(dict((s["name"], s["statuses"]) for s in body["stages"])
                                                   ["20% Квалификация"])
    assert body["definition"] == {"process_id": "deal", "version": 1}


def test_process_list(client, tokens):
    r = client.get("/api/v1/processes", headers=bearer(tokens["manager"]))
    [row] = [p for p in r.json["processes"] if p["process_id"] == "deal"]
    assert (row["process_id"], row["version"], row["running"]) == ("deal", 1, 0)


def test_tasks_come_by_pages(client, tokens, people):
    for i in range(3):
        assert client.post("/api/v1/deals", json={"company": f"Page {i}"}, headers=bearer(tokens["manager"])).status_code == 201
    seen = []
    for page in (1, 2):
        r = client.get("/api/v1/tasks", query_string={"per_page": 2, "page": page}, headers=bearer(tokens["manager"]))
        assert r.status_code == 200
        seen += [deal_of(t) for t in r.json["tasks"]]
        assert (r.json["page"], r.json["per_page"], r.json["has_more"]) == (page, 2, page == 1)
    assert seen == [1, 2, 3]
    bad = client.get("/api/v1/tasks", query_string={"per_page": "x"}, headers=bearer(tokens["manager"]))
    assert bad.status_code == 422 and "per_page" in bad.get_data(as_text=True)
