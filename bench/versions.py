"""Server time of the same pages in two versions of dealflow, in the same rounds: an earlier commit beside this checkout.

On a shared machine a page's time moves with the host by more than most changes save, so a change is judged
against its base in one run: both versions serve the same database (seeded as bench/web.py seeds it: 100,000
deals, 300,000 activities, on PostgreSQL), each in its own process, and every round asks each for each page, in
alternating order, so background load favours neither. Each figure is the median wall and CPU time of the
request inside its process (as bench/web.py times it), after a warm-up.

The base is checked out into a temporary git worktree (``--base``, a commit) and runs on this checkout's
schema (migrations only add: an older version runs on a newer schema).

Run: .venv/bin/python bench/versions.py --base COMMIT [--rounds 60] [--deals 100000] [--activities 300000]
The database ``--database`` (``bench_versions``) of the local server (``--pg-server``) is dropped and created anew.
The last line is one JSON object with the figures.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {"journal": "/v2/journals?journalId=deals-journal&status=identifyNeeds&sort=-budget&budget_min=1000",
         "board": "/v2/journals?journalId=deals-journal&viewMode=kanban", "tasks": "/tasks", "card": "/deals/{middle}"}
WARM_UP = 6

# Run in each version's own process (its checkout first on sys.path): log in, then answer each URL read on stdin
# with "wall_ms cpu_ms status" of the request.
CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from web import create_app
assert __import__("web").__file__.startswith(sys.argv[1])
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[2], "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
client = app.test_client()
assert client.post("/login", data={"username": "manager", "password": "secret123"}).status_code in (200, 302)
print("ready", flush=True)
for line in sys.stdin:
    wall, cpu = time.perf_counter(), time.process_time()
    status = client.get(line.strip()).status_code
    print(f"{(time.perf_counter() - wall) * 1000} {(time.process_time() - cpu) * 1000} {status}", flush=True)
"""


class Version:
    def __init__(self, checkout, url):
        self.process = subprocess.Popen([sys.executable, "-c", CHILD, str(checkout), url], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True,
                                        env={**os.environ, "PYTHONPATH": str(checkout)})
        assert self.process.stdout.readline().strip() == "ready"

    def get(self, url):
        self.process.stdin.write(url + "\n")
        self.process.stdin.flush()
        wall, cpu, status = self.process.stdout.readline().split()
        assert status == "200", (url, status)
        return float(wall), float(cpu)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def main():
    from bench.web import build_app, fresh_postgresql, seed
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=300_000)
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_versions", help="dropped and created anew")
    args = parser.parse_args()
    url = fresh_postgresql(args.pg_server, args.database)
    app = build_app(url)
    seed(app, args.deals, args.activities)
    with app.app_context():
        from engine.db import db
        db.engine.dispose()
    pages = {name: page.format(middle=args.deals // 2) for name, page in PAGES.items()}
    with tempfile.TemporaryDirectory() as workdir:
        base = Path(workdir) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.base], check=True)
        try:
            versions = {"base": Version(base, url), "this": Version(ROOT, url)}
            for version in versions.values():
                for page in pages.values():
                    for _ in range(WARM_UP):
                        version.get(page)
            times = {(name, page): ([], []) for name in versions for page in pages}
            for round_ in range(args.rounds):
                for page, page_url in pages.items():
                    for name in (("base", "this") if round_ % 2 else ("this", "base")):
                        wall, cpu = versions[name].get(page_url)
                        times[(name, page)][0].append(wall)
                        times[(name, page)][1].append(cpu)
            for version in versions.values():
                version.close()
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
    result = {"base": args.base, "rounds": args.rounds, "deals": args.deals, "activities": args.activities}
    for page in pages:
        (base_wall, base_cpu), (this_wall, this_cpu) = times[("base", page)], times[("this", page)]
        figures = {f"{page}_base_ms": statistics.median(base_wall), f"{page}_ms": statistics.median(this_wall),
                   f"{page}_base_cpu_ms": statistics.median(base_cpu), f"{page}_cpu_ms": statistics.median(this_cpu)}
        figures = {key: round(value, 1) for key, value in figures.items()}
        result.update(figures)
        print(f"{page:8s} base {figures[f'{page}_base_ms']:6.1f} ms (CPU {figures[f'{page}_base_cpu_ms']:5.1f})   "
              f"this checkout {figures[f'{page}_ms']:6.1f} ms (CPU {figures[f'{page}_cpu_ms']:5.1f})   "
              f"this/base {figures[f'{page}_ms'] / figures[f'{page}_base_ms']:.2f}")
    result.update(load_avg=round(os.getloadavg()[0], 1), cpus=os.cpu_count())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
