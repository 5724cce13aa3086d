"""Timeline, notes and activities through the API."""
from datetime import timedelta

from engine import clock
from tests.conftest import bearer


def post(client, tokens, user, url, body):
    return client.post(f"/api/v1{url}", json=body, headers=bearer(tokens[user]))


def get(client, tokens, user, url, **query):
    return client.get(f"/api/v1{url}", query_string=query, headers=bearer(tokens[user]))


def due(hours):
    return (clock.now() + timedelta(hours=hours)).isoformat(timespec="minutes") + "Z"


def test_notes_and_activities_show_in_the_timeline_newest_first(client, tokens):
    number = post(client, tokens, "manager", "/deals", {"company": "ООО «Вектор»"}).json["number"]
    r = post(client, tokens, "analyst", f"/deals/{number}/notes", {"text": "Нужен созвон, @manager"})
    assert r.status_code == 201 and r.json["user"] == "analyst"
    assert post(client, tokens, "analyst", f"/deals/{number}/notes", {"text": ""}).status_code == 422
    r = post(client, tokens, "manager", f"/deals/{number}/activities",
             {"kind": "call", "summary": "Созвон", "due_at": due(3)})
    assert r.status_code == 201 and r.json["owner"] == "manager" and not r.json["overdue"]
    activity = r.json
    r = post(client, tokens, "manager", f"/activities/{activity['id']}/done", {"outcome": "Ок", "version": 99})
    assert r.status_code == 409
    r = post(client, tokens, "manager", f"/activities/{activity['id']}/done", {"outcome": "Договорились"})
    assert r.status_code == 200 and r.json["done"] and r.json["outcome"] == "Договорились"
    r = get(client, tokens, "director", f"/deals/{number}/timeline")
    assert r.status_code == 200 and not r.json["has_more"]
    assert [(e["kind"], e.get("event")) for e in r.json["entries"]] == [
        ("activity", "done"), ("activity", "created"), ("note", None), ("status", "created")]
    assert r.json["entries"][2]["text"] == "Нужен созвон, @manager"
    r = get(client, tokens, "director", f"/deals/{number}/timeline", page=2, per_page=3)
    assert [e["kind"] for e in r.json["entries"]] == ["status"]
    assert get(client, tokens, "director", f"/deals/{number}/timeline", page="x").status_code == 422


def test_activities_mine_and_overdue(client, tokens):
    number = post(client, tokens, "manager", "/deals", {"company": "ООО «Вектор»"}).json["number"]
    late = post(client, tokens, "manager", f"/deals/{number}/activities",
                {"kind": "task", "summary": "КП", "due_at": due(-1)}).json
    post(client, tokens, "manager", f"/deals/{number}/activities",
         {"kind": "meeting", "summary": "Встреча", "due_at": due(5), "owner": "manager2"})
    mine = get(client, tokens, "manager", "/activities", mine=1).json["activities"]
    assert [a["summary"] for a in mine] == ["КП"] and mine[0]["overdue"]
    assert [a["id"] for a in get(client, tokens, "manager2", "/activities", overdue=1).json["activities"]] == [late["id"]]
    assert [a["summary"] for a in get(client, tokens, "admin", "/activities").json["activities"]] == ["КП", "Встреча"]
    bad = post(client, tokens, "manager", f"/deals/{number}/activities", {"kind": "party", "summary": "", "due_at": ""})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"kind", "summary", "due_at"}
    assert post(client, tokens, "analyst", f"/deals/{number}/activities",
                {"kind": "call", "summary": "x", "due_at": due(1)}).status_code == 403
    r = post(client, tokens, "manager", f"/activities/{late['id']}/reschedule", {"due_at": due(24)})
    assert r.status_code == 200 and not r.json["overdue"]
    assert get(client, tokens, "manager", "/activities", mine="maybe").status_code == 422
