"""The floor of bench/http.py: the least a move or a list can do over HTTP, on the same gunicorn and psycopg.

A move is one ``UPDATE … SET version = version + 1``, one history ``INSERT`` and one commit; a list is one
``SELECT`` of 50 rows returned as JSON. One connection per worker thread, opened once and kept.
Served as ``gunicorn bench.floor_app:app`` with ``FLOOR_DATABASE_URL`` set.
"""
import json
import os
import re
import threading

import psycopg

_local = threading.local()
_MOVE = re.compile(r"^/move/(\d+)$")
LIST = ("SELECT id, number, name, company, budget::text, status, version FROM deals "
        "WHERE responsible_id = %s ORDER BY number DESC LIMIT 50")


def _connection():
    if getattr(_local, "conn", None) is None:
        _local.conn = psycopg.connect(os.environ["FLOOR_DATABASE_URL"])
    return _local.conn


def app(environ, start_response):
    conn = _connection()
    path = environ["PATH_INFO"]
    moved = _MOVE.match(path)
    if moved and environ["REQUEST_METHOD"] == "POST":
        deal_id = int(moved.group(1))
        with conn.cursor() as cur:
            cur.execute("UPDATE deals SET version = version + 1 WHERE id = %s", (deal_id,))
            cur.execute("INSERT INTO floor_history (deal_id, at, to_status) VALUES (%s, now(), 'moved')", (deal_id,))
        conn.commit()
        body = json.dumps({"id": deal_id}).encode()
    elif path == "/list":
        with conn.cursor() as cur:
            cur.execute(LIST, (int(environ.get("QUERY_STRING", "").partition("=")[2] or 0),))
            names = [d.name for d in cur.description]
            rows = [dict(zip(names, row)) for row in cur.fetchall()]
        conn.commit()
        body = json.dumps({"deals": rows}).encode()
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
