"""Deploy makes a new version: old deals stay on theirs, new ones and the statuses follow the newest, migration moves."""
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.analyst import diagrams
from tests.conftest import bearer
from web.cli import main


def deploy(client, token, source):
    r = client.post("/api/v1/processes", data={"file": (io.BytesIO(source), "deal.bpmn")}, headers=bearer(token),
                    content_type="multipart/form-data")
    assert r.status_code == 201, r.json
    return r.json["processes"][0]["version"]


def create(client, token, company, status=None):
    body = {"company": company, **({"status": status} if status else {})}
    r = client.post("/api/v1/deals", json=body, headers=bearer(token))
    assert r.status_code == 201, r.json
    return r.json["number"]


def move(client, token, number, status, comment=""):
    return client.post(f"/api/v1/deals/{number}/move", json={"status": status, "comment": comment},
                       headers=bearer(token))


def deal(client, token, number):
    return client.get(f"/api/v1/deals/{number}", headers=bearer(token)).json


def codes(client, token):
    return [s["code"] for s in client.get("/api/v1/process/statuses", headers=bearer(token)).json["statuses"]]


def migrate(client, token, version, dry_run):
    return client.post("/api/v1/processes/deal/migrate", json={"to_version": version, "dry_run": dry_run},
                       headers=bearer(token))


def test_camunda_diagram_deploys_and_runs_to_the_win(client, tokens):
    assert deploy(client, tokens["analyst"], diagrams.camunda_tender()) == 2
    statuses = codes(client, tokens["manager"])
    assert statuses.index("offerPreparation") < statuses.index("tender") < statuses.index("prototype")
    number = create(client, tokens["manager"], "ООО «Камунда»", status="offerPreparation")
    assert deal(client, tokens["manager"], number)["process_version"] == 2
    for status, who in (("tender", "manager"), ("prototype", "manager"), ("decision", "manager"),
                        ("completed", "director")):
        r = move(client, tokens[who], number, status)
        assert r.status_code == 200, (status, r.json)
    shown = deal(client, tokens["manager"], number)
    assert (shown["status"], shown["stage"]) == ("completed", "100% Победа")
    r = client.get("/api/v1/process/statuses", headers=bearer(tokens["manager"])).json
    tender = next(s for s in r["statuses"] if s["code"] == "tender")
    assert (tender["label"], tender["stage"]) == ("Тендер", "40% Развитие")
    assert "tender" in next(st for st in r["stages"] if st["name"] == "40% Развитие")["statuses"]


def test_old_deals_stay_on_v1_until_migrated(client, tokens):
    old = create(client, tokens["manager"], "ООО «Старая»", status="offerPreparation")
    assert deploy(client, tokens["analyst"], diagrams.camunda_tender()) == 2
    new = create(client, tokens["manager"], "ООО «Новая»", status="offerPreparation")
    assert [deal(client, tokens["manager"], n)["process_version"] for n in (old, new)] == [1, 2]
    # The old deal's diagram has no «Тендер»; the new one's has.
    r = move(client, tokens["manager"], old, "tender")
    assert r.status_code == 422 and r.json["error"] == "invalid_transition"
    assert move(client, tokens["manager"], new, "tender").status_code == 200

    r = migrate(client, tokens["manager"], 2, True)
    assert r.status_code == 403
    r = migrate(client, tokens["analyst"], 2, True)
    assert r.status_code == 200 and (r.json["moved"], r.json["refused"]) == (1, 0)
    assert r.json["deals"] == [{"number": old, "status": "offerPreparation", "from_version": 1, "to_version": 2,
                                "moved": True, "reason": "", "status_label": "Подготовка КП"}]
    assert deal(client, tokens["manager"], old)["process_version"] == 1  # a dry run changes nothing

    r = migrate(client, tokens["analyst"], 2, False)
    assert r.status_code == 200 and r.json["moved"] == 1
    shown = deal(client, tokens["manager"], old)
    assert (shown["process_version"], shown["status"]) == (2, "offerPreparation")
    assert move(client, tokens["manager"], old, "tender").status_code == 200
    history = client.get(f"/api/v1/deals/{old}/history", headers=bearer(tokens["manager"])).json
    kinds = [h["kind"] for h in (history["history"] if isinstance(history, dict) else history)]
    assert kinds[-2:] == ["migrated", "move"]
    assert migrate(client, tokens["analyst"], 2, False).json["deals"] == []  # nothing left on v1


def test_migration_refuses_deals_whose_status_is_gone(client, tokens):
    stays = create(client, tokens["manager"], "ООО «Прототип»", status="prototype")
    moves = create(client, tokens["manager"], "ООО «Презентация»", status="presentation")
    assert deploy(client, tokens["analyst"], diagrams.without_prototype()) == 2
    assert "prototype" not in codes(client, tokens["manager"])
    for dry_run in (True, False):
        r = migrate(client, tokens["analyst"], 2, dry_run).json
        by_number = {d["number"]: d for d in r["deals"]}
        assert by_number[moves]["moved"] is True
        assert by_number[stays]["moved"] is False and "'prototype' does not exist in version 2" \
            in by_number[stays]["reason"]
    assert [deal(client, tokens["manager"], n)["process_version"] for n in (stays, moves)] == [1, 2]
    # The deal left on v1 still moves by its own diagram.
    assert move(client, tokens["manager"], stays, "decision").status_code == 200
    r = migrate(client, tokens["analyst"], 7, True)
    assert r.status_code == 404


def test_cli_migrate(runner, client, tokens):
    number = create(client, tokens["manager"], "ООО «Консоль»", status="presentation")
    deploy(client, tokens["analyst"], diagrams.camunda_tender())
    result = runner.invoke(main, args=["process", "migrate", "deal", "--to-version", "2", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"deal {number}\tpresentation\tv1\twould move" in result.stdout
    assert result.stdout.strip().endswith("1 would move, 0 cannot")
    assert deal(client, tokens["manager"], number)["process_version"] == 1
    result = runner.invoke(main, args=["process", "migrate", "deal", "--to-version", "2"])
    assert result.exit_code == 0 and result.stdout.strip().endswith("1 moved, 0 cannot")
    assert deal(client, tokens["manager"], number)["process_version"] == 2
    result = runner.invoke(main, args=["process", "migrate", "deal", "--to-version", "9"])
    assert result.exit_code == 6 and "no version 9" in result.stderr


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def other_worker(app, tmp_path):
    """Another web worker: a separate Python process serving the same database over HTTP."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "DEALFLOW_SECRET_KEY": "test"}
    code = ("from web import create_app; from werkzeug.serving import run_simple; "
            f"run_simple('127.0.0.1', {port}, create_app())")
    process = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5)
            break
        except OSError:
            process.poll() is None or pytest.fail("the other worker exited")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def fetch(base, token, path, body=None):
    request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
                                     headers={**bearer(token), "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_another_worker_follows_a_deploy_without_restart(client, tokens, other_worker):
    statuses = fetch(other_worker, tokens["manager"], "/api/v1/process/statuses")
    assert "tender" not in [s["code"] for s in statuses["statuses"]]  # the other worker has served v1
    deploy(client, tokens["analyst"], diagrams.camunda_tender())
    statuses = fetch(other_worker, tokens["manager"], "/api/v1/process/statuses")
    assert statuses["definition"]["version"] == 2 and "tender" in [s["code"] for s in statuses["statuses"]]
    made = fetch(other_worker, tokens["manager"], "/api/v1/deals",
                 {"company": "ООО «Другой воркер»", "status": "offerPreparation"})
    moved = fetch(other_worker, tokens["manager"], f"/api/v1/deals/{made['number']}/move", {"status": "tender"})
    assert moved["status"] == "tender" and made["process_version"] == 2
