"""`dealflow serve`: the app behind gunicorn, as `make run` starts it."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

DEALFLOW = Path(sys.executable).with_name("dealflow")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_runs_the_app_under_gunicorn(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "DEALFLOW_SECRET_KEY": "serve-test"}
    subprocess.run([DEALFLOW, "init"], env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen([DEALFLOW, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                time.sleep(0.2)
        page = response.read().decode()
        assert response.status == 200 and "Войти" in page
        assert response.headers["Server"].startswith("gunicorn")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


def test_serve_picks_workers_for_the_machine_and_obeys_overrides():
    from web.serving import default_workers, gunicorn_command
    assert default_workers(2) == 5 and default_workers(64) == 12
    argv = gunicorn_command("web.wsgi:app", "127.0.0.1", 5000)
    assert argv[argv.index("--worker-class") + 1] == "gthread"
    assert argv[argv.index("--workers") + 1] == str(default_workers())
    single = gunicorn_command("web.wsgi:app", "127.0.0.1", 5000, workers=3, threads=1)
    assert single[single.index("--workers") + 1] == "3" and single[single.index("--worker-class") + 1] == "sync"
