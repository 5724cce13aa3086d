"""Operations: `GET /healthz` tells whether the database answers, and `dealflow serve` instances
on one host do not share gunicorn's control socket."""
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.cli.test_serve import DEALFLOW, _free_port
from web import create_app


def test_healthz_is_200_without_login_when_the_database_answers(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok"}
    assert r.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in r.headers


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:1/nothing",  # a closed port: refused
                                 "sqlite:////nonexistent-dir/dealflow.db"])
def test_healthz_is_503_when_the_database_does_not_answer(tmp_path, url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    app.instance_path = str(tmp_path)
    r = app.test_client().get("/healthz")
    assert r.status_code == 503 and r.json["status"] == "unavailable"


def _answers(port, server, deadline):
    while True:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
        except (urllib.error.URLError, OSError):
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "gunicorn did not answer in 60 s"
            time.sleep(0.2)


def test_two_serve_instances_on_one_host_both_answer(tmp_path):
    home = tmp_path / "home"  # where gunicorn's default control socket would go: not the real user's
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
           "DEALFLOW_SECRET_KEY": "serve-test"}
    env.pop("XDG_RUNTIME_DIR", None)
    subprocess.run([DEALFLOW, "init"], env=env, check=True, capture_output=True, timeout=120)
    servers = []
    try:
        for _ in range(2):
            port = _free_port()
            servers.append((port, subprocess.Popen(
                [DEALFLOW, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"], env=env,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)))
            _answers(port, servers[-1][1], time.monotonic() + 60)
        time.sleep(1)  # let a late control-socket takeover happen, if any
        for port, server in servers:
            assert server.poll() is None
            assert _answers(port, server, time.monotonic() + 10).status == 200
        assert not (home / ".gunicorn").exists(), "no shared control socket in the user's home"
    finally:
        for _, server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for _, server in servers:
            server.wait(timeout=15)
