"""HTTP throughput of `dealflow serve` on PostgreSQL beside two floors on the same gunicorn settings and database.

Builds a database of 100,000 deals (10,000 owned by one manager, «owner»; every deal has a workflow and
its ready task) and starts three servers with the same worker settings (web.serving.gunicorn_command):

- ours: ``dealflow serve``;
- the stack floor (bench/stack_floor_app.py): the least dealflow's fixed stack, Flask + Flask-SQLAlchemy,
  can do with the API's semantics: the bearer token looked up by its digest through the ORM, a move loads
  the deal, checks its version, sets its status, adds one history entry and commits, all through the ORM; a
  list selects 50 of the person's deals (an ORM select of their columns) with their total count. Its own minimal models,
  none of dealflow's code: what any app on this stack pays, so ours/stack is the part that is ours to cut;
- the bare floor (bench/floor_app.py): the least any app can do over the same gunicorn and psycopg (a move
  is one UPDATE, one history INSERT, one commit; a list is one SELECT of 50 rows as JSON): stack/bare is
  what the stack itself costs, a ceiling no app on it can pass.

It loads them with wrk over loopback, in alternating rounds so background load cannot favour any side
(after each wrk run the bench waits until every server is idle: wrk stops at its deadline without waiting
for the answers still in the servers, which would otherwise run into the next round), and counts the CPU
per request of each server's processes and of its database backends (what a machine given to it alone
would spend, whatever else runs meanwhile):

- moves: ``POST /api/v1/deals/N/move`` (the owner's real deals, firstContact ⇄ identifyNeeds) vs each floor's
  (each side its own deals: no side meets another's version conflicts);
- list:  ``GET /api/v1/deals?responsible=<owner>&per_page=50`` vs each floor's list of the owner's 50 deals;
- the journal and the kanban pages as the owner: req/s and p50/p99 under load (8 connections), and
  p50 with one connection (≈ server time: nothing queues);
- after each round's moves, the running totals are folded, as ``dealflow worker`` does on every pass (the
  journal's and the list's totals and the board's columns read them);
- then the integrity check: every deal's history chain unbroken (each status entry starts where the one
  before ended) and every deal's status equal to its last history entry.

Seeding: one real deal per status through the domain (workflow, ready task, history), then the rest are
copies of those made in SQL (the workflow state, a ready task with its own id, a «created» entry) — the
bench's moves use the real deals, the pages read every row.

Needs wrk (Debian: ``apt-get install -y wrk``) and a PostgreSQL server where it may create a database
(default ``postgresql://postgres@127.0.0.1:5432/bench_http``, dropped and created anew).
Run: .venv/bin/python bench/http.py  (this module's entry point) [--deals 100000] [--owned 10000] [--seconds 8]
Takes about 3-6 minutes; the last line is one JSON object with the figures.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent

SERVER = "postgresql://postgres@127.0.0.1:5432"
MOVERS = 400  # real deals the move load cycles over (per wrk thread a disjoint share: no two moves of one deal
#               are ever in flight at once, so no move meets a version conflict)
CONNECTIONS, THREADS = 8, 2
GOALS = {"move_ratio": 0.3, "list_ratio": 0.3, "page_p50_ms": 25}
WRK_SCRIPT = r"""
local counter = 0
function setup(thread) counter = counter + 1; thread:set("tid", counter) end
function init(args)
  mode = args[1]
  if mode == "move" or mode == "floormove" or mode == "stackmove" then
    first, count, nthreads, token = tonumber(args[2]), tonumber(args[3]), tonumber(args[4]), args[5]
    per = math.floor(count / nthreads); base = first + (tid - 1) * per; i = 0; state = {}
  end
end
function request()
  if mode == "move" or mode == "floormove" or mode == "stackmove" then
    local n = base + (i % per); i = i + 1
    if mode == "floormove" then return wrk.format("POST", "/move/" .. n) end
    local to = state[n] and "firstContact" or "identifyNeeds"; state[n] = not state[n]
    local path = mode == "move" and ("/api/v1/deals/" .. n .. "/move") or ("/move/" .. n)
    return wrk.format("POST", path,
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, '{"status": "' .. to .. '"}')
  end
  return wrk.request()
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def database(name):
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def prepare(url, deals, owned):
    """Migrate, deploy, make the people; real deals per status and for the moves; copies up to ``deals``."""
    import flask_migrate
    from engine.db import db
    from processes import board, deals as deal_service, statuses, users
    from processes.deploy import initialize
    from web import MIGRATIONS, create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="head")
        initialize(app.config["BPMN_DIR"])
        owner, _ = users.create_user("owner", "manager", "secret123", "Owner")
        others = [users.create_user(f"manager{i}", "manager", "secret123", f"Manager {i}")[0] for i in (2, 3, 4)]
        users.create_user("admin", "admin", "secret123", "Admin")
        db.session.commit()
        token = users.issue_token("owner")
        codes = [s.code for s in statuses.current_model().statuses if not s.final and not s.archive]
        archived = [s.code for s in statuses.current_model().statuses if s.archive]
        movers = [deal_service.create_deal({"company": f"ООО «Движение {i}»", "budget": 1000 + i}, owner).number
                  for i in range(MOVERS)]
        templates = {code: deal_service.create_deal({"company": f"ООО «Образец {code}»"}, owner, status=code)
                     for code in codes}
        db.session.commit()
        _copy(db, templates, deals - MOVERS - len(templates), owned - MOVERS - len(templates), owner.id,
              [o.id for o in others])
        db.session.commit()
        board.fold_totals()  # as `dealflow worker` does on every pass: the board's totals in a few rows
        owner_id = owner.id
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_history (id serial PRIMARY KEY, deal_id integer NOT NULL, "
                     "at timestamp NOT NULL, to_status varchar(100))")
        conn.execute("VACUUM ANALYZE")
        # The floor bumps the versions of the newest copies, the stack floor moves the copies before those
        # (never the real deals dealflow moves): no side meets another's version conflicts.
        floor_first = conn.execute("SELECT max(id) FROM deals").fetchone()[0] - MOVERS + 1
    return {"token": token, "owner_id": owner_id, "movers": (movers[0], len(movers)),
            "floor_movers": (floor_first, MOVERS), "stack_movers": (floor_first - MOVERS, MOVERS),
            "archived": archived, "app": app}


def _copy(db, templates, count, owned, owner_id, other_ids):
    """``count`` deals copied in SQL from the templates (one per status), the first ``owned`` the owner's."""
    from sqlalchemy import text
    conn = db.session.connection()
    conn.execute(text("CREATE TEMP TABLE tpl (k int, deal_id int, workflow_id int)"))
    for k, deal in enumerate(templates.values()):
        conn.execute(text("INSERT INTO tpl VALUES (:k, :d, :w)"), {"k": k, "d": deal.id, "w": deal.workflow_id})
    bases = conn.execute(text("SELECT (SELECT max(id) FROM workflow_instances), (SELECT max(id) FROM deals), "
                              "(SELECT max(number) FROM deals)")).one()
    params = {"n": count, "k": len(templates), "wb": bases[0], "db": bases[1], "nb": bases[2], "owned": owned,
              "owner": owner_id, "others": other_ids,
              "step": max(1, count // max(owned, 1))}  # the owner's deals spread over all numbers, as in life
    series = "FROM generate_series(1, :n) g JOIN tpl ON tpl.k = g % :k"
    conn.execute(text(f"""INSERT INTO workflow_instances (id, definition_id, state, serializer_version, status,
        version, created_at, updated_at)
        SELECT :wb + g, w.definition_id, w.state, w.serializer_version, w.status, w.version, w.created_at, now()
        {series} JOIN workflow_instances w ON w.id = tpl.workflow_id"""), params)
    conn.execute(text(f"""INSERT INTO ready_tasks (instance_id, task_id, node_id, name, lane, assignee, created_at)
        SELECT :wb + g, gen_random_uuid()::text, r.node_id, r.name, r.lane, r.assignee, now()
        {series} JOIN ready_tasks r ON r.instance_id = tpl.workflow_id"""), params)
    conn.execute(text(f"""INSERT INTO deals (id, number, name, company, budget, responsible_id, created_at,
        description, contact_name, phone, sender_email, source_id, site_email, site_referrer, ga_client_id,
        ym_client_id, mail_message, status, stage, status_changed_at, workflow_id, version)
        SELECT :db + g, :nb + g, 'Сделка ' || (:nb + g), 'ООО «Компания ' || (g % 5000) || '»',
          (hashtext(g::text) & 8388607)::numeric, CASE WHEN g % :step = 0 AND g / :step <= :owned THEN :owner
          ELSE (CAST(:others AS int[]))[1 + g % cardinality(CAST(:others AS int[]))] END,
          now() - (g % 525600) * interval '1 minute', 'Запрос на внедрение', 'Иван', '', 'c' || g || '@example.ru',
          d.source_id, '', '', '', '', '', d.status, d.stage, now() - (g % 525600) * interval '1 minute',
          :wb + g, 1
        {series} JOIN deals d ON d.id = tpl.deal_id"""), params)
    conn.execute(text(f"""INSERT INTO deal_history (deal_id, at, user_id, kind, from_status, to_status, comment)
        SELECT :db + g, h.at, h.user_id, h.kind, h.from_status, h.to_status, h.comment
        {series} JOIN deal_history h ON h.deal_id = tpl.deal_id"""), params)
    for table in ("workflow_instances", "deals", "ready_tasks", "deal_history"):
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    conn.execute(text("UPDATE counters SET value = (SELECT max(number) FROM deals) WHERE name = 'deal'"))


def fold_totals(app):
    """What ``dealflow worker`` does on every pass (every ``delay``, 30 s by default; here after each round's
    8 s of moves): sum the running totals' rows that the moves appended, so the pages read a few rows."""
    from processes import board
    with app.app_context():
        board.fold_totals()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(argv, env, port, probe):
    process = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(f"GET {probe} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
                if conn.recv(64).startswith(b"HTTP/1."):
                    return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{argv} did not start")
        time.sleep(0.3)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def login_cookie(base):
    import requests
    session = requests.Session()
    page = session.get(f"{base}/login").text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(f"{base}/login", data={"csrf_token": csrf, "username": "owner",
                                                   "password": "secret123"}, allow_redirects=False)
    assert response.status_code == 302, response.text[:300]
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def _cpu_of(pids=None, pgid=None):
    """CPU seconds used so far by the processes ``pids`` or by every process of the group ``pgid``."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in (pids if pids is not None else os.listdir("/proc")):
        if not str(entry).isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if pgid is None or int(fields[2]) == pgid:  # after the command: state, ppid, pgrp, …, utime, stime
            total += int(fields[11]) + int(fields[12])
    return total / tick


def group_cpu_seconds(pgid):
    """CPU seconds used so far by every process of a process group (a server started by ``start``)."""
    return _cpu_of(pgid=pgid)


def database_cpu_seconds(url):
    """CPU seconds used so far by the PostgreSQL backends connected to the bench's database (this host's)."""
    with psycopg.connect(url, autocommit=True) as conn:
        pids = [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = "
                                               "current_database() AND pid <> pg_backend_pid()")]
    return pids, _cpu_of(pids)


def settle(servers, url, timeout=120):
    """Wait until the servers have drained: no CPU spent by their processes and no query running on the
    database for half a second. wrk stops at its deadline without waiting for answers: requests still in
    the servers would otherwise run into (and slow down) the next round."""
    deadline, quiet = time.monotonic() + timeout, 0
    before = sum(group_cpu_seconds(s.pid) for s in servers)
    with psycopg.connect(url, autocommit=True) as conn:
        while quiet < 2 and time.monotonic() < deadline:
            time.sleep(0.25)
            after = sum(group_cpu_seconds(s.pid) for s in servers)
            busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                "AND state <> 'idle' AND pid <> pg_backend_pid()").fetchone()[0]
            quiet = quiet + 1 if after - before < 0.03 and busy == 0 else 0
            before = after


def wrk(script, url, seconds, args=(), headers=(), connections=CONNECTIONS, threads=THREADS):
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
            "-s", script]
    for header in headers:
        argv += ["-H", header]
    argv += [url, "--", *map(str, args)]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60).stdout
    return json.loads(out[out.index("WRK ") + 4:].splitlines()[0])


def combine(runs):
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    return {"rps": round(requests / seconds, 1), "errors": sum(r["errors"] for r in runs),
            # CPU per request of the server's processes and of the database (whatever else runs meanwhile)
            "server_cpu_ms": round(1000 * sum(r["server_cpu_s"] for r in runs) / max(requests, 1), 2),
            "db_cpu_ms": round(1000 * sum(r["db_cpu_s"] for r in runs) / max(requests, 1), 2),
            "p50_ms": round(sorted(r["p50_us"] for r in runs)[len(runs) // 2] / 1000, 1),
            "p99_ms": round(max(r["p99_us"] for r in runs) / 1000, 1)}


def cpu_ratio(floor, ours):
    """The floor's CPU per request (server and database) over ours: the throughput ratio the two would have
    on a machine given to them alone, whatever else ran meanwhile."""
    return (floor["server_cpu_ms"] + floor["db_cpu_ms"]) / max(ours["server_cpu_ms"] + ours["db_cpu_ms"], 1e-9)


def integrity(url):
    """(history chains broken, deals whose status is not their last status entry's)."""
    from processes.deal_record import STATUS_KINDS
    kinds = list(STATUS_KINDS)
    with psycopg.connect(url) as conn:
        broken = conn.execute("""SELECT count(*) FROM (SELECT from_status, kind,
            lag(to_status) OVER (PARTITION BY deal_id ORDER BY id) AS before,
            row_number() OVER (PARTITION BY deal_id ORDER BY id) AS n
            FROM deal_history WHERE kind = ANY(%s)) h
            WHERE (n > 1 AND from_status IS DISTINCT FROM before) OR (n = 1 AND kind <> 'created')""",
                              (kinds,)).fetchone()[0]
        mismatched = conn.execute("""SELECT count(*) FROM deals d LEFT JOIN LATERAL (SELECT to_status FROM
            deal_history h WHERE h.deal_id = d.id AND h.kind = ANY(%s) ORDER BY h.id DESC LIMIT 1) last ON true
            WHERE last.to_status IS DISTINCT FROM d.status""", (kinds,)).fetchone()[0]
    return broken, mismatched


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--owned", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="alternating dealflow/floor rounds")
    parser.add_argument("--database", default="bench_http")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    from web.serving import default_workers, gunicorn_command, THREADS as DEFAULT_THREADS
    workers, threads = args.workers or default_workers(), args.threads or DEFAULT_THREADS
    url = database(args.database)
    started = time.perf_counter()
    seeded = prepare(url, args.deals, args.owned)
    print(f"seeded {args.deals} deals ({args.owned} the owner's) in {time.perf_counter() - started:.0f} s; "
          f"gunicorn: {workers} workers × {threads} threads; load: {os.getloadavg()[0]:.1f}")
    ours_port, floor_port, stack_port = free_port(), free_port(), free_port()
    env = {"DATABASE_URL": url, "DEALFLOW_SECRET_KEY": "bench-http", "FLOOR_DATABASE_URL": url}
    ours = floor = stack = None
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        try:
            ours = start([str(Path(sys.executable).with_name("dealflow")), "serve", "--port", str(ours_port),
                          "--workers", str(workers), "--threads", str(threads)], env, ours_port, "/login")
            floor = start(gunicorn_command("bench.floor_app:app", "127.0.0.1", floor_port, workers, threads,
                                           access_log=False), env, floor_port, "/list")
            stack = start(gunicorn_command("bench.stack_floor_app:app", "127.0.0.1", stack_port, workers, threads,
                                           access_log=False),
                          {**env, "STACK_FLOOR_ARCHIVED": ",".join(seeded["archived"])}, stack_port, "/list")
            base, floor_base = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{floor_port}"
            stack_base = f"http://127.0.0.1:{stack_port}"
            cookie = f"Cookie: {login_cookie(base)}"
            owner, token = seeded["owner_id"], seeded["token"]
            auth = f"Authorization: Bearer {token}"
            journal = f"{base}/v2/journals?journalId=deals-journal"
            board = f"{base}/v2/journals?journalId=deals-journal&viewMode=kanban"
            s = args.seconds

            def measure(server, *wrk_args, **wrk_kwargs):
                """One wrk run, then a wait until both servers are idle, so no run overlaps the next; with the
                CPU seconds the server's processes and the database's backends spent on it (load-independent)."""
                server_before, (pids, db_before) = group_cpu_seconds(server.pid), database_cpu_seconds(url)
                figures = wrk(script.name, *wrk_args, **wrk_kwargs)
                settle((ours, floor, stack), url)
                figures["server_cpu_s"] = group_cpu_seconds(server.pid) - server_before
                figures["db_cpu_s"] = _cpu_of(pids) - db_before  # backends that were connected before the run
                return figures

            runs = {k: [] for k in ("move", "stack_move", "floor_move", "list", "stack_list", "floor_list",
                                    "journal", "board")}
            # Warm-up, not counted: every worker imports, parses its diagrams and fills its caches once.
            for server, warm_url, warm_headers in (
                    (floor, f"{floor_base}/list?responsible={owner}", ()),
                    (stack, f"{stack_base}/list?responsible={owner}", (auth,)),
                    (ours, f"{base}/api/v1/deals?responsible={owner}&per_page=50", (auth,)),
                    (ours, journal, (cookie,)), (ours, board, (cookie,))):
                measure(server, warm_url, 3, ("get",), headers=warm_headers)
            for r in range(args.rounds):
                # Each round moves its own share of the deals: all of them start in firstContact.
                first, count = seeded["movers"]
                share = count // args.rounds
                runs["floor_move"].append(measure(floor, floor_base, s, ("floormove", *seeded["floor_movers"],
                                                                            THREADS)))
                runs["stack_move"].append(measure(stack, stack_base, s, ("stackmove", *seeded["stack_movers"],
                                                                            THREADS, token)))
                runs["move"].append(measure(ours, base, s, ("move", first + r * share, share, THREADS, token)))
                fold_totals(seeded["app"])
                runs["floor_list"].append(measure(floor, f"{floor_base}/list?responsible={owner}", s, ("get",)))
                runs["stack_list"].append(measure(stack, f"{stack_base}/list?responsible={owner}", s, ("get",),
                                                  headers=(auth,)))
                runs["list"].append(measure(ours, f"{base}/api/v1/deals?responsible={owner}&per_page=50", s,
                                                ("get",), headers=(auth,)))
                runs["journal"].append(measure(ours, journal, s, ("get",), headers=(cookie,)))
                runs["board"].append(measure(ours, board, s, ("get",), headers=(cookie,)))
            alone = {name: measure(ours, page, s, ("get",), headers=(cookie,), connections=1, threads=1)
                     for name, page in (("journal", journal), ("board", board))}
        finally:
            for process in (ours, floor, stack):
                if process is not None:
                    stop(process)
    figures = {name: combine(r) for name, r in runs.items()}
    broken, mismatched = integrity(url)
    summary = {}
    for name in ("move", "list"):
        ours_f, stack_f, floor_f = figures[name], figures[f"stack_{name}"], figures[f"floor_{name}"]
        print(f"{name:8}: ours {ours_f['rps']:8.1f} req/s (p50 {ours_f['p50_ms']:.1f} ms, p99 {ours_f['p99_ms']:.1f} ms)"
              f"   stack floor {stack_f['rps']:8.1f}   bare floor {floor_f['rps']:8.1f} req/s")
        print(f"{'':8}  ratios: ours/bare {ours_f['rps'] / floor_f['rps']:.3f} (goal ≥ {GOALS[name + '_ratio']})"
              f"   stack/bare {stack_f['rps'] / floor_f['rps']:.3f}   ours/stack {ours_f['rps'] / stack_f['rps']:.3f}")
        print(f"{'':8}  CPU per request, server + database: ours {ours_f['server_cpu_ms']:.2f} + "
              f"{ours_f['db_cpu_ms']:.2f} ms   stack floor {stack_f['server_cpu_ms']:.2f} + {stack_f['db_cpu_ms']:.2f}"
              f"   bare floor {floor_f['server_cpu_ms']:.2f} + {floor_f['db_cpu_ms']:.2f}   CPU ratios bare/ours "
              f"{cpu_ratio(floor_f, ours_f):.3f}   bare/stack {cpu_ratio(floor_f, stack_f):.3f}   stack/ours "
              f"{cpu_ratio(stack_f, ours_f):.3f}")
        summary.update({
            f"{name}_rps": ours_f["rps"], f"floor_{name}_rps": floor_f["rps"],
            f"{name}_ratio": round(ours_f["rps"] / floor_f["rps"], 3), f"{name}_p99_ms": ours_f["p99_ms"],
            f"{name}_cpu_ms": ours_f["server_cpu_ms"], f"{name}_db_cpu_ms": ours_f["db_cpu_ms"],
            f"floor_{name}_cpu_ms": floor_f["server_cpu_ms"], f"floor_{name}_db_cpu_ms": floor_f["db_cpu_ms"],
            f"{name}_cpu_ratio": round(cpu_ratio(floor_f, ours_f), 3),
            # the stack floor: its req/s and CPU, its ratio to the bare floor, and ours to it
            f"stack_{name}_rps": stack_f["rps"], f"stack_{name}_ratio": round(stack_f["rps"] / floor_f["rps"], 3),
            f"stack_{name}_p99_ms": stack_f["p99_ms"], f"stack_{name}_cpu_ms": stack_f["server_cpu_ms"],
            f"stack_{name}_db_cpu_ms": stack_f["db_cpu_ms"],
            f"stack_{name}_cpu_ratio": round(cpu_ratio(floor_f, stack_f), 3),
            f"{name}_to_stack_ratio": round(ours_f["rps"] / stack_f["rps"], 3),
            f"{name}_to_stack_cpu_ratio": round(cpu_ratio(stack_f, ours_f), 3)})
    for name in ("journal", "board"):
        f = figures[name]
        print(f"{name:8}: {f['rps']:8.1f} req/s  p50 {f['p50_ms']:6.1f} ms  p99 {f['p99_ms']:6.1f} ms under "
              f"{CONNECTIONS} connections; alone p50 {alone[name]['p50_us'] / 1000:.1f} ms (goal ≤ "
              f"{GOALS['page_p50_ms']}); CPU per request, server + database: {f['server_cpu_ms']:.2f} + "
              f"{f['db_cpu_ms']:.2f} ms")
    errors = sum(f["errors"] for f in figures.values()) + sum(a["errors"] for a in alone.values())
    print("errors by request: " + ", ".join(f"{name} {f['errors']}" for name, f in figures.items()))
    print(f"errors: {errors}   broken history chains: {broken}   status ≠ last history entry: {mismatched}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(json.dumps({
        **summary,
        "journal_rps": figures["journal"]["rps"], "journal_p50_ms": figures["journal"]["p50_ms"],
        "journal_p99_ms": figures["journal"]["p99_ms"], "journal_alone_p50_ms": alone["journal"]["p50_us"] / 1000,
        "board_rps": figures["board"]["rps"], "board_p50_ms": figures["board"]["p50_ms"],
        "board_p99_ms": figures["board"]["p99_ms"], "board_alone_p50_ms": alone["board"]["p50_us"] / 1000,
        **{f"{name}_{kind}_ms": figures[name][f"{kind}_ms"] for name in ("journal", "board")
           for kind in ("server_cpu", "db_cpu")},
        "errors": errors, "broken_chains": broken, "status_mismatches": mismatched,
        "deals": args.deals, "owned": args.owned, "workers": workers, "threads": threads,
        "load_avg": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
