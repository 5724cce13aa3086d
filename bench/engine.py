"""Persisted deal moves per second: dealflow beside a naive SpiffWorkflow setup.

The naive baseline does per move what a first integration would: parse the
BPMN, deserialize the stored JSON (spec embedded), run the task, serialize
and commit — on fresh deals, where its task tree is small. dealflow does the
whole domain move (deal row, workflow row with a version check, history row,
ready-task index, commit) with parsed specs cached by hash and the spec kept
out of the stored state. Then one deal is moved 2,000 times to show that a
move's cost does not grow with the deal's history.

Run: .venv/bin/python bench/engine.py  (SQLite in a temporary folder, < 60 s)
The last line is one JSON object with the figures.
"""
import json
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
MOVES_PER_DEAL = 6
LONG_RUN = 2000


def naive_moves_per_second(bpmn_path, workdir):
    """Parse + deserialize + run + serialize + commit per move, on fresh deals."""
    from lxml import etree
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
    from SpiffWorkflow.util.task import TaskState

    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    conn = sqlite3.connect(workdir / "naive.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE wf (id INTEGER PRIMARY KEY, state TEXT)")

    def parse():
        parser = SpiffBpmnParser()
        parser.add_bpmn_xml(etree.parse(str(bpmn_path)), filename="deal.bpmn")
        return parser.get_spec("deal")

    for deal in range(FRESH_DEALS):
        wf = BpmnWorkflow(parse())
        wf.task_tree.data["next_status"] = "new"
        wf.do_engine_steps()
        conn.execute("INSERT INTO wf (id, state) VALUES (?, ?)", (deal, serializer.serialize_json(wf)))
    conn.commit()
    started = time.perf_counter()
    moves = 0
    for step in range(MOVES_PER_DEAL):
        for deal in range(FRESH_DEALS):
            parse()  # the naive app parses the diagram for every request
            (state,) = conn.execute("SELECT state FROM wf WHERE id = ?", (deal,)).fetchone()
            wf = serializer.deserialize_json(state)
            task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data["next_status"] = CYCLE[step % len(CYCLE)]
            task.run()
            wf.do_engine_steps()
            conn.execute("UPDATE wf SET state = ? WHERE id = ?", (serializer.serialize_json(wf), deal))
            conn.commit()
            moves += 1
    elapsed = time.perf_counter() - started
    conn.close()
    return moves / elapsed


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


def dealflow_moves_per_second(app):
    """Full domain moves on fresh deals, one commit each."""
    from engine.db import db
    from processes import deals, moves, users

    with app.app_context():
        manager, _ = users.create_user("bench", "manager", "bench-password")
        numbers = [deals.create_deal({"company": f"Bench {i}"}, manager).number for i in range(FRESH_DEALS)]
        db.session.commit()
        started = time.perf_counter()
        count = 0
        for step in range(MOVES_PER_DEAL):
            for number in numbers:
                moves.move_deal(deals.get_deal(number), CYCLE[step % len(CYCLE)], manager)
                db.session.commit()
                count += 1
        return count / (time.perf_counter() - started)


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
        naive = naive_moves_per_second(ROOT / "bpmn" / "deal.bpmn", workdir)
        app = dealflow_app(workdir)
        ours = dealflow_moves_per_second(app)
        costs, entries = long_run_costs(app)
    # Medians of ten moves around each point, so one slow fsync does not decide.
    move10 = statistics.median(costs[5:15])
    move2000 = statistics.median(costs[-10:])
    print(f"naive baseline   : {naive:8.1f} moves/s (parse + deserialize + run + serialize + commit)")
    print(f"dealflow         : {ours:8.1f} moves/s (domain move with history, version check, commit)")
    print(f"ratio            : {ours / naive:8.2f}x  (goal >= 3)")
    print(f"move 10          : {move10 * 1000:8.2f} ms")
    print(f"move 2000        : {move2000 * 1000:8.2f} ms  ({entries - 1} history moves)")
    print(f"move2000/move10  : {move2000 / move10:8.2f}   (goal <= 1.5)")
    print(json.dumps({"moves_per_s": round(ours, 1), "naive_moves_per_s": round(naive, 1),
                      "ratio_vs_naive": round(ours / naive, 2),
                      "move2000_over_move10": round(move2000 / move10, 2)}))


if __name__ == "__main__":
    main()
