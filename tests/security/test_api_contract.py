"""The API's contract: the OpenAPI document lists every operation, 405s say what is allowed, and
schemathesis finds no server error and no answer outside the document, served on PostgreSQL.
"""
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.db import db
from tests.conftest import bearer
from tests.web.helpers import served_over_http

SCHEMATHESIS = Path(sys.executable).with_name("st")
EXAMPLES = 10    # per operation: about 250 requests, half a minute
SEED = 20261128  # a fixed seed: CI repeats the same requests
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,allow_header_conformance"


def _document_path(rule):
    """``/api/v1/deals/<int:number>`` as the document writes it: ``/deals/{number}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix("/api/v1"))


def test_the_document_lists_every_operation_of_the_api(app, client):
    document = client.get("/api/v1/openapi.json").json
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        listed = document["paths"].get(_document_path(rule.rule), {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = listed.get(method.lower())
            if operation is None:
                missing.append(f"{method} {rule.rule}")
                continue
            ok = [code for code in operation["responses"] if code.startswith("2")]
            assert ok, f"{method} {rule.rule}: no success response"
            assert any(code.startswith("4") for code in operation["responses"]), f"{method} {rule.rule}: no errors"
    assert not missing, missing
    for name in ("Deal", "Assignment", "Task", "Error"):
        assert document["components"]["schemas"][name]["properties"]


def test_write_operations_describe_their_bodies(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, method in (("/deals", "post"), ("/deals/{number}", "patch"), ("/deals/{number}", "put"),
                         ("/deals/{number}/move", "post"), ("/deals/{number}/assignments", "post"),
                         ("/assignments/{assignment_id}/verdict", "post"), ("/processes/{process_id}/migrate", "post"),
                         ("/processes/validate", "post"), ("/processes", "post")):
        assert paths[path][method]["requestBody"]["content"], (path, method)


def test_405_answers_carry_allow(client, tokens):
    r = client.delete("/api/v1/deals", headers=bearer(tokens["manager"]))
    assert r.status_code == 405 and r.json["error"] == "method_not_allowed"
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    r = client.put("/login")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]


@pytest.fixture
def served(app):
    """The app over HTTP on a free loopback port (threads, as gunicorn's workers), on the test database."""
    app.config["TESTING"] = False  # an exception answers 500 as in production, not raised into the server
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access line per generated request is noise
    with served_over_http(app, threaded=True) as url:
        yield url


# Phases: examples and fuzzing, a fixed number of cases per operation. The coverage phase (every boundary
# of every schema) ignores --max-examples and took about 50 s on CI's shared 2-core machines; with two
# workers it trips a thread-safety bug of CPython 3.11's ast in hypothesis. Its classes of input (ids past
# 32 bits, NUL, far dates) are pinned down by tests/security/test_bad_input.py instead.
# Marked pg: the 500s it guards against came from PostgreSQL, so it runs there in both CI passes.
@pytest.mark.pg
def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(app, served, tmp_path):
    from processes import demo, users
    with app.app_context():
        demo.load_demo(count=6)
        token = users.issue_token("admin")  # every role's operations are open to an admin
        db.session.commit()
    result = subprocess.run(
        [SCHEMATHESIS, "run", f"{served}/api/v1/openapi.json", "--checks", CHECKS, "--max-examples", str(EXAMPLES),
         "--seed", str(SEED), "--phases", "examples,fuzzing", "--workers", "1", "--no-shrink",
         "--request-timeout", "20", "--header", f"Authorization: Bearer {token}", "--output-truncate", "true",
         "--suppress-health-check", "all", "--warnings", "off"],
        cwd=tmp_path, capture_output=True, text=True, timeout=170)
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
