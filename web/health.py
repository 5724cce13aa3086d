"""``GET /healthz`` for load balancers and orchestrators: 200 when the database answers, else 503.

No login, no CSRF (a GET), no session: a probe carries none. The answer is never cached.
"""
from flask import Blueprint, jsonify

from engine.db import database_answers

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    if database_answers():
        response = jsonify({"status": "ok"})
    else:
        response = jsonify({"status": "unavailable", "message": "the database does not answer"})
        response.status_code = 503
    response.headers["Cache-Control"] = "no-store"
    return response
