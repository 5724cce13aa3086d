"""Acceptance: every status reachable through the API, the paths to completed and refusal, roles, versions."""
import pytest

from tests.conftest import bearer
from tests.paths import actor_for, shortest_path


@pytest.fixture
def model(client, tokens):
    r = client.get("/api/v1/process/statuses", headers=bearer(tokens["manager"]))
    assert r.status_code == 200
    body = r.json
    body["moves"] = {s["code"]: s["moves"] for s in body["statuses"]}
    body["lane"] = {s["code"]: s["lane"] for s in body["statuses"]}
    body["stage"] = {s["code"]: s["stage"] for s in body["statuses"]}
    return body


def create(client, tokens, user="manager", **fields):
    r = client.post("/api/v1/deals", json={"company": "ООО «Ромашка»", **fields}, headers=bearer(tokens[user]))
    assert r.status_code == 201, r.json
    return r.json


def move(client, tokens, deal, status, user="manager", comment="причина", version=None):
    body = {"status": status, "comment": comment,
            "version": deal["version"] if version is None else version}
    return client.post(f"/api/v1/deals/{deal['number']}/move", json=body, headers=bearer(tokens[user]))


def walk(client, tokens, model, deal, path):
    for status in path[1:]:
        r = move(client, tokens, deal, status, user=actor_for(model["lane"][deal["status"]]))
        assert r.status_code == 200, (deal["status"], status, r.json)
        deal = r.json
        assert deal["status"] == status and deal["stage"] == model["stage"][status]
    return deal


def history(client, tokens, deal):
    r = client.get(f"/api/v1/deals/{deal['number']}/history", headers=bearer(tokens["manager"]))
    assert r.status_code == 200
    return r.json["history"]


def test_every_status_of_the_diagram_is_reachable(client, tokens, model):
    codes = [s["code"] for s in model["statuses"]]
    assert {"new", "firstContact", "identifyNeeds", "presentation", "offerPreparation", "prototype",
            "decision", "completed", "pause", "refusal", "old"} <= set(codes)
    for code in codes:
        deal = create(client, tokens)
        deal = walk(client, tokens, model, deal, shortest_path(model["moves"], deal["status"], code))
        r = client.get(f"/api/v1/deals/{deal['number']}", headers=bearer(tokens["manager"]))
        assert r.json["status"] == code


def test_full_path_to_completed(client, tokens, model):
    path = ["new", "firstContact", "identifyNeeds", "presentation", "offerPreparation", "prototype",
            "decision", "completed"]
    deal = walk(client, tokens, model, create(client, tokens, budget="250000"), path)
    assert deal["status_label"] == "Завершена" and deal["stage"] == "100% Победа"
    entries = history(client, tokens, deal)
    assert [(e["from"], e["to"]) for e in entries[1:]] == list(zip(path, path[1:]))
    assert entries[-1]["kind"] == "decision" and entries[-1]["user"] == "director"
    assert all(e["kind"] == "move" and e["user"] == "manager" for e in entries[1:-1])
    # The process is over: nothing moves a completed deal any more.
    r = move(client, tokens, deal, "offerPreparation", user="director")
    assert r.status_code == 422 and r.json["error"] == "invalid_transition"


def test_full_path_to_refusal_needs_a_reason(client, tokens, model):
    deal = walk(client, tokens, model, create(client, tokens),
                ["new", "firstContact", "presentation", "offerPreparation", "decision"])
    r = move(client, tokens, deal, "refusal", user="director", comment="  ")
    assert r.status_code == 422 and "comment" in r.json["errors"]
    r = move(client, tokens, deal, "refusal", user="director", comment="Бюджет не согласован")
    assert r.status_code == 200 and r.json["status"] == "refusal"
    last = history(client, tokens, deal)[-1]
    assert (last["kind"], last["from"], last["to"], last["comment"]) == (
        "decision", "decision", "refusal", "Бюджет не согласован")
    # A manager reopens a refused deal.
    r = move(client, tokens, r.json, "firstContact")
    assert r.status_code == 200 and r.json["status"] == "firstContact"


def test_director_sends_back_for_rework(client, tokens, model):
    deal = walk(client, tokens, model, create(client, tokens), ["new", "offerPreparation", "decision"])
    r = move(client, tokens, deal, "offerPreparation", user="director", comment="Пересчитать скидку")
    assert r.status_code == 200 and r.json["status"] == "offerPreparation"
    assert history(client, tokens, deal)[-1]["comment"] == "Пересчитать скидку"


@pytest.mark.parametrize("user", ["manager", "manager2", "analyst"])
def test_only_a_director_decides(client, tokens, model, user):
    deal = walk(client, tokens, model, create(client, tokens), ["new", "decision"])
    before = history(client, tokens, deal)
    r = move(client, tokens, deal, "completed", user=user)
    assert r.status_code == 403 and r.json["error"] == "forbidden"
    after = client.get(f"/api/v1/deals/{deal['number']}", headers=bearer(tokens["manager"])).json
    assert after["status"] == "decision" and after["version"] == deal["version"]
    assert history(client, tokens, deal) == before


def test_a_manager_cannot_move_another_managers_deal(client, tokens):
    deal = create(client, tokens)
    assert deal["responsible"] == "manager"
    r = move(client, tokens, deal, "firstContact", user="manager2")
    assert r.status_code == 403
    r = client.patch(f"/api/v1/deals/{deal['number']}", json={"budget": "1", "version": deal["version"]},
                     headers=bearer(tokens["manager2"]))
    assert r.status_code == 403
    # A director may move it (the director supervises every manager's deals).
    assert move(client, tokens, deal, "firstContact", user="director").status_code == 200


def test_a_stale_version_gets_409_and_changes_nothing(client, tokens):
    deal = create(client, tokens)
    moved = move(client, tokens, deal, "firstContact").json
    before = history(client, tokens, deal)
    r = move(client, tokens, moved, "presentation", version=deal["version"])
    assert r.status_code == 409 and r.json["error"] == "conflict"
    now = client.get(f"/api/v1/deals/{deal['number']}", headers=bearer(tokens["manager"])).json
    assert now["status"] == "firstContact" and now["version"] == moved["version"]
    assert history(client, tokens, deal) == before
    # The fresh version works.
    assert move(client, tokens, now, "presentation").json["status"] == "presentation"


def test_a_move_the_diagram_does_not_have_is_refused(client, tokens):
    deal = create(client, tokens)
    for target in ("completed", "nonsense"):
        r = move(client, tokens, deal, target)
        assert r.status_code == 422 and r.json["error"] == "invalid_transition", r.json
    assert client.get(f"/api/v1/deals/{deal['number']}", headers=bearer(tokens["manager"])).json["status"] == "new"


def test_rework_needs_a_comment_from_the_director(client, tokens):
    """The flow back to «Подготовка КП» carries commentRequired: no comment, no rework."""
    deal = client.post("/api/v1/deals", json={"company": "Rework", "status": "decision"},
                       headers=bearer(tokens["manager"])).json
    url = f"/api/v1/deals/{deal['number']}/move"
    refused = client.post(url, json={"status": "offerPreparation"}, headers=bearer(tokens["director"]))
    assert refused.status_code == 422 and "comment" in refused.json["errors"]
    moved = client.post(url, json={"status": "offerPreparation", "comment": "Пересчитать скидку"},
                        headers=bearer(tokens["director"]))
    assert moved.status_code == 200 and moved.json["status"] == "offerPreparation"
    # A manager moving between working statuses needs no comment.
    again = client.post(url, json={"status": "prototype"}, headers=bearer(tokens["manager"]))
    assert again.status_code == 200
