"""Persisted deal moves per second: dealflow beside a naive SpiffWorkflow setup.

All sides run in alternating rounds (each moves its 100 deals once, who goes first alternating too), so
background load on a shared machine cannot favour either. The naive baseline does per move what a first
integration would: parse the
BPMN, deserialize the stored JSON (spec embedded), run the task, serialize
and commit — on fresh deals, where its task tree is small. dealflow does the
whole domain move (deal row, workflow row with a version check, history row,
ready-task index, commit) with parsed specs cached by hash and the spec kept
out of the stored state. Then one deal is moved 2,000 times to show that a
move's cost does not grow with the deal's history.

A third side, the floor, runs in the same alternation: the least a persisted
SpiffWorkflow move needs (the live workflow kept in memory, task run, engine
steps, state serialized without the spec, one UPDATE, commit), so the distance
between dealflow and what SpiffWorkflow itself costs is printed beside the ratio.
A fourth, the stack floor, is the least the fixed stack (Flask-SQLAlchemy's ORM
in dealflow's app and database, plus SpiffWorkflow) does for the same move with
none of dealflow's domain code: the ORM load of the deal with its workflow row,
the user reloaded after the previous commit, the cached live workflow run, the
same four writes as prebuilt statements, commit. dealflow's distance to it
(ours/stack) is what its own code costs.

Run: .venv/bin/python bench/engine.py  (SQLite in a temporary folder, < 60 s)
The last line is one JSON object with the figures.
"""
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CYCLE = ["firstContact", "identifyNeeds", "presentation", "offerPreparation", "prototype", "pause"]
FRESH_DEALS = 100
MOVES_PER_DEAL = 8  # rounds: each of the four sides goes first twice
LONG_RUN = 2000


class Naive:
    """Parse + deserialize + run + serialize + commit per move, on fresh deals."""

    def __init__(self, bpmn_path, workdir):
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
        from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

        self.bpmn_path = bpmn_path
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self.conn = sqlite3.connect(workdir / "naive.db")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE TABLE wf (id INTEGER PRIMARY KEY, state TEXT)")
        for deal in range(FRESH_DEALS):
            wf = BpmnWorkflow(self.parse())
            wf.task_tree.data["next_status"] = "new"
            wf.do_engine_steps()
            self.conn.execute("INSERT INTO wf (id, state) VALUES (?, ?)", (deal, self.serializer.serialize_json(wf)))
        self.conn.commit()

    def parse(self):
        from lxml import etree
        from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
        parser = SpiffBpmnParser()
        parser.add_bpmn_xml(etree.parse(str(self.bpmn_path)), filename="deal.bpmn")
        return parser.get_spec("deal")

    def round(self, step):
        """Move every deal once; return (moves, seconds)."""
        from SpiffWorkflow.util.task import TaskState
        started = time.perf_counter()
        for deal in range(FRESH_DEALS):
            self.parse()  # the naive app parses the diagram for every request
            (state,) = self.conn.execute("SELECT state FROM wf WHERE id = ?", (deal,)).fetchone()
            wf = self.serializer.deserialize_json(state)
            task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data["next_status"] = CYCLE[step % len(CYCLE)]
            task.run()
            wf.do_engine_steps()
            self.conn.execute("UPDATE wf SET state = ? WHERE id = ?", (self.serializer.serialize_json(wf), deal))
            self.conn.commit()
        return FRESH_DEALS, time.perf_counter() - started


class Floor:
    """The least a persisted SpiffWorkflow move needs, for scale: no domain, no ORM.

    The live workflow stays in memory (as dealflow's cache keeps it), parsed once by dealflow's parser;
    per move: the ready task is run, the engine steps on, the state is serialized without the spec
    (engine.serializer) and written with one UPDATE, then committed.
    """

    def __init__(self, bpmn_path, workdir):
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from engine import serializer
        from engine.instances import SCRIPT_ENGINE
        from engine.parsing import ParsedDiagram

        spec, subprocess_specs = ParsedDiagram(Path(bpmn_path).read_bytes()).spec("deal")
        self.dumps = serializer.dumps
        self.conn = sqlite3.connect(workdir / "floor.db")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE TABLE wf (id INTEGER PRIMARY KEY, state TEXT)")
        self.workflows = []
        for deal in range(FRESH_DEALS):
            wf = BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE)
            wf.task_tree.data["next_status"] = "new"
            wf.do_engine_steps()
            self.workflows.append(wf)
            self.conn.execute("INSERT INTO wf (id, state) VALUES (?, ?)", (deal, self.dumps(wf)))
        self.conn.commit()

    def round(self, step):
        """Move every deal once; return (moves, seconds)."""
        from SpiffWorkflow.util.task import TaskState
        started = time.perf_counter()
        for deal, wf in enumerate(self.workflows):
            task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data["next_status"] = CYCLE[step % len(CYCLE)]
            task.run()
            wf.do_engine_steps()
            self.conn.execute("UPDATE wf SET state = ? WHERE id = ?", (self.dumps(wf), deal))
            self.conn.commit()
        return len(self.workflows), time.perf_counter() - started


class StackFloor:
    """The least the fixed stack (Flask-SQLAlchemy's ORM + SpiffWorkflow) does for a move: no dealflow code.

    On deals dealflow made, in its app and database (call inside the app's context), per move: the deal is
    loaded with its workflow row through the ORM, the acting user is reloaded (the previous commit expired
    it; a request loads its user anyway), the live workflow is taken from memory (deserialized when the
    row's version moved on), the ready task is run and the engine steps on, the state is serialized without
    the spec (engine.serializer.dumps), and the four writes of a move go out as prebuilt statements: the
    workflow and the deal through their version columns, the ready task's row, the history entry with when
    its stay began read inside the INSERT (the model's own subquery); then commit. Only the set-up (users,
    deals) uses dealflow's functions.
    """

    def __init__(self):
        from sqlalchemy import bindparam, insert, select, update
        from sqlalchemy.orm import joinedload
        from engine import serializer
        from engine.db import db
        from engine.instances import SCRIPT_ENGINE
        from engine.models import ReadyTask, WorkflowInstance
        from engine.parsing import ParsedDiagram
        from processes import deals, users
        from processes.models import Deal, DealHistory, User

        user, _ = users.create_user("stack", "manager", "bench-password")
        self.user_id = user.id
        self.numbers = [deals.create_deal({"company": f"Stack {i}"}, user).number for i in range(FRESH_DEALS)]
        db.session.commit()
        self.specs = ParsedDiagram((ROOT / "bpmn" / "deal.bpmn").read_bytes()).spec("deal")
        self.script_engine = SCRIPT_ENGINE
        self.loads, self.dumps, self.User = serializer.loads, serializer.dumps, User
        self.by_number = select(Deal).where(Deal.number == bindparam("number")).options(joinedload(Deal.workflow))
        instances, ready, deal_table = WorkflowInstance.__table__, ReadyTask.__table__, Deal.__table__
        self.save_state = update(instances).where(instances.c.id == bindparam("row_id"),
                                                  instances.c.version == bindparam("read_version"))
        self.replace_ready = update(ready).where(ready.c.task_id == bindparam("old_id")).values(
            task_id=bindparam("new_id"), node_id=bindparam("node_id"), name=bindparam("name"),
            lane=bindparam("lane"), created_at=bindparam("at"))
        self.save_deal = update(deal_table).where(deal_table.c.id == bindparam("deal_id"),
                                                  deal_table.c.version == bindparam("read_version"))
        self.add_entry = insert(DealHistory.__table__).values(
            entered_at=DealHistory.stay_began(bindparam("stay_owner")))
        self.live = {}  # workflow id -> (version, live workflow), as a cache of committed workflows keeps them
        for number in self.numbers:
            row = db.session.scalar(self.by_number, {"number": number}).workflow
            self.live[row.id] = (row.version, self.loads(row.state, row.serializer_version, *self.specs,
                                                         self.script_engine))
        db.session.commit()

    def round(self, step):
        """Move every deal once; return (moves, seconds)."""
        from datetime import datetime, timezone
        from SpiffWorkflow.util.task import TaskState
        from engine.db import db
        session = db.session
        target = CYCLE[step % len(CYCLE)]
        started = time.perf_counter()
        for number in self.numbers:
            deal = session.scalar(self.by_number, {"number": number})
            row = deal.workflow
            user = session.get(self.User, self.user_id)
            row_id, read_version = row.id, row.version
            version, workflow = self.live.pop(row_id, (None, None))
            if version != read_version:
                workflow = self.loads(row.state, row.serializer_version, *self.specs, self.script_engine)
            task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data.update(comment="", actor=user.username, next_status=target)
            task.run()
            workflow.do_engine_steps()
            landed = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            spec = landed.task_spec
            properties = spec.extensions["properties"]
            now = datetime.now(timezone.utc).replace(tzinfo=None)
            saved = session.execute(self.save_state, {
                "row_id": row_id, "read_version": read_version, "state": self.dumps(workflow),
                "status": "running", "version": read_version + 1, "updated_at": now})
            session.execute(self.replace_ready, {"old_id": str(task.id), "new_id": str(landed.id),
                                                 "node_id": spec.bpmn_id, "name": spec.bpmn_name or spec.bpmn_id,
                                                 "lane": spec.lane or "", "at": now})
            moved = session.execute(self.save_deal, {
                "deal_id": deal.id, "read_version": deal.version, "status": properties["status"],
                "stage": properties.get("stage", ""), "status_changed_at": now, "version": deal.version + 1})
            if saved.rowcount != 1 or moved.rowcount != 1:
                raise RuntimeError(f"deal {number} was changed by someone else")
            session.execute(self.add_entry, {
                "deal_id": deal.id, "stay_owner": deal.id, "at": now, "user_id": user.id, "kind": "move",
                "from_status": deal.status, "to_status": properties["status"], "comment": ""})
            session.commit()
            self.live[row_id] = (read_version + 1, workflow)
        return len(self.numbers), time.perf_counter() - started


def dealflow_app(workdir):
    import flask_migrate
    from engine.db import db
    from processes.deploy import initialize
    from web import MIGRATIONS, create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'dealflow.db'}",
                      "SECRET_KEY": "bench", "BPMN_DIR": str(ROOT / "bpmn")})
    app.instance_path = str(workdir / "instance")
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="head")
        initialize(app.config["BPMN_DIR"])
        db.session.commit()
    return app


class Dealflow:
    """Full domain moves on fresh deals, one commit each (call inside the app's context)."""

    def __init__(self):
        from engine.db import db
        from processes import deals, users
        self.manager, _ = users.create_user("bench", "manager", "bench-password")
        self.numbers = [deals.create_deal({"company": f"Bench {i}"}, self.manager).number
                        for i in range(FRESH_DEALS)]
        db.session.commit()

    def round(self, step):
        from engine.db import db
        from processes import deals, moves
        started = time.perf_counter()
        for number in self.numbers:
            moves.move_deal(deals.get_deal(number), CYCLE[step % len(CYCLE)], self.manager)
            db.session.commit()
        return len(self.numbers), time.perf_counter() - started


def interleaved(app, naive, floor):
    """({side: moves/s}, {side: CPU ms per move}) of dealflow ("ours"), the naive baseline, the floor and the
    stack floor: rounds alternate, and which side goes first turns with every round.

    The CPU time (``time.process_time``; every side runs in this process on SQLite) is what a busy machine
    distorts least.
    """
    totals = {"naive": [0, 0.0, 0.0], "ours": [0, 0.0, 0.0], "floor": [0, 0.0, 0.0], "stack": [0, 0.0, 0.0]}
    with app.app_context():
        sides = [("naive", naive), ("ours", Dealflow()), ("floor", floor), ("stack", StackFloor())]
        for step in range(MOVES_PER_DEAL):
            turn = step % len(sides)
            for name, side in sides[turn:] + sides[:turn]:
                cpu = time.process_time()
                moves, seconds = side.round(step)
                totals[name][0] += moves
                totals[name][1] += seconds
                totals[name][2] += time.process_time() - cpu
    return ({name: moves / seconds for name, (moves, seconds, _) in totals.items()},
            {name: cpu * 1000 / moves for name, (moves, _, cpu) in totals.items()})


def long_run_costs(app):
    """Time each of 2,000 moves of one deal; return per-move seconds."""
    from engine.db import db
    from processes import deals, moves, users

    with app.app_context():
        manager = users.get_by_username("bench")
        number = deals.create_deal({"company": "Long run"}, manager).number
        db.session.commit()
        costs = []
        for i in range(LONG_RUN):
            started = time.perf_counter()
            moves.move_deal(deals.get_deal(number), CYCLE[i % 2], manager)  # back and forth
            db.session.commit()
            costs.append(time.perf_counter() - started)
        entries = len(deals.history(deals.get_deal(number)))
    return costs, entries


def main():
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        naive_side = Naive(ROOT / "bpmn" / "deal.bpmn", workdir)
        app = dealflow_app(workdir)
        floor_side = Floor(ROOT / "bpmn" / "deal.bpmn", workdir)
        rates, cpu = interleaved(app, naive_side, floor_side)
        ours, naive, floor, stack = rates["ours"], rates["naive"], rates["floor"], rates["stack"]
        naive_side.conn.close()
        floor_side.conn.close()
        costs, entries = long_run_costs(app)
    # Medians of ten moves around each point, so one slow fsync does not decide.
    move10 = statistics.median(costs[5:15])
    move2000 = statistics.median(costs[-10:])
    print(f"naive baseline   : {naive:8.1f} moves/s (parse + deserialize + run + serialize + commit)")
    print(f"dealflow         : {ours:8.1f} moves/s (domain move with history, version check, commit)")
    print(f"ratio            : {ours / naive:8.2f}x  (goal >= 5; rounds of {FRESH_DEALS} moves alternate)")
    print(f"floor            : {floor:8.1f} moves/s = {floor / naive:.2f}x naive (cached workflow: run + engine "
          f"steps + serialize + one UPDATE + commit; dealflow is {ours / floor:.2f} of it)")
    print(f"stack floor      : {stack:8.1f} moves/s = {stack / naive:.2f}x naive (ORM deal + workflow load, user "
          f"reload, cached workflow run, the four writes, commit; ours/stack = {ours / stack:.2f})")
    print(f"CPU ms per move  : naive {cpu['naive']:.3f}, dealflow {cpu['ours']:.3f}, floor {cpu['floor']:.3f}, "
          f"stack floor {cpu['stack']:.3f}")
    print(f"move 10          : {move10 * 1000:8.2f} ms")
    print(f"move 2000        : {move2000 * 1000:8.2f} ms  ({entries - 1} history moves)")
    print(f"move2000/move10  : {move2000 / move10:8.2f}   (goal <= 1.5)")
    print(json.dumps({"moves_per_s": round(ours, 1), "naive_moves_per_s": round(naive, 1),
                      "ratio_vs_naive": round(ours / naive, 2),
                      "floor_moves_per_s": round(floor, 1), "floor_ratio_vs_naive": round(floor / naive, 2),
                      "stack_moves_per_s": round(stack, 1), "stack_ratio_vs_naive": round(stack / naive, 2),
                      "ours_over_stack": round(ours / stack, 2),
                      "cpu_ms_per_move": {name: round(ms, 3) for name, ms in cpu.items()},
                      "move2000_over_move10": round(move2000 / move10, 2),
                      "load_avg": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
