"""The stack floor of bench/http.py: the least Flask + Flask-SQLAlchemy (the ORM) can do for dealflow's API.

dealflow's stack is fixed (Flask, Flask-SQLAlchemy, SpiffWorkflow); bench/floor_app.py measures what gunicorn and
psycopg alone can do. This app sits between them: what any app on this stack pays for a move and a list with
dealflow's semantics, before any code of dealflow's own (its models are not imported, its workflow never runs):

- every request authenticates its bearer token as dealflow's API does (processes.users.by_token): the user
  whose ``token_hash`` is the token's SHA-256, through the ORM, and only an active one; else 401;
- ``POST /move/<id>`` with ``{"status": …, "version": …?}``: loads the deal through the ORM by id, refuses a
  stale ``version`` (409), sets its status (and when it changed), writes one ``deal_history`` entry through the
  ORM and commits; the ORM's version counter bumps the version and checks it in the UPDATE (dealflow's
  ``version_id_col``), so a concurrent move is a 409 too. Answers the deal's number, status and version;
- ``GET /list?responsible=<id>``: the person's 50 newest deals (by number, descending), leaving out archived
  statuses, and their total count, as dealflow's ``GET /api/v1/deals`` does; the deals carry the same fields
  as the bare floor's list, read by an ORM select of those columns as rows (as dealflow's list does: about
  0.2 ms less per request than building 50 entities, and a floor is the least the stack can do).

One Flask-SQLAlchemy engine per worker process with dealflow's pool (the default QueuePool, no ping on each
checkout). Served as ``gunicorn bench.stack_floor_app:app`` with ``FLOOR_DATABASE_URL`` set and
``STACK_FLOOR_ARCHIVED`` the comma-separated archived status codes (a list leaves them out).
"""
import hashlib
import os
from datetime import datetime, timezone

from flask import Flask, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

ARCHIVED = [code for code in os.environ.get("STACK_FLOOR_ARCHIVED", "").split(",") if code]
PER_PAGE = 50

db = SQLAlchemy()


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    token_hash = db.Column(db.String(64))
    active = db.Column(db.Boolean, nullable=False)


class Deal(db.Model):
    __tablename__ = "deals"
    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.Integer, nullable=False)
    name = db.Column(db.String(300), nullable=False)
    company = db.Column(db.String(300), nullable=False)
    budget = db.Column(db.Numeric(18, 2))
    responsible_id = db.Column(db.Integer)
    status = db.Column(db.String(100), nullable=False)
    status_changed_at = db.Column(db.DateTime, nullable=False)
    version = db.Column(db.Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


LISTED = (Deal.id, Deal.number, Deal.name, Deal.company, Deal.budget, Deal.status, Deal.version)


class DealHistory(db.Model):
    __tablename__ = "deal_history"
    id = db.Column(db.Integer, primary_key=True)
    deal_id = db.Column(db.Integer, nullable=False)
    at = db.Column(db.DateTime, nullable=False)
    user_id = db.Column(db.Integer)
    kind = db.Column(db.String(20), nullable=False)
    from_status = db.Column(db.String(100))
    to_status = db.Column(db.String(100))
    comment = db.Column(db.Text, nullable=False)
    entered_at = db.Column(db.DateTime)  # when the status it leaves was entered: the deal knows it


def create_app():
    app = Flask(__name__)
    url = os.environ["FLOOR_DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = url.replace("postgresql://", "postgresql+psycopg://", 1)
    db.init_app(app)

    @app.before_request
    def authenticate():
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        user = db.session.scalar(select(User).where(User.token_hash == digest)) if token else None
        if user is None or not user.active:
            return jsonify({"error": "unauthorized"}), 401
        g.api_user = user
        return None

    @app.post("/move/<int:deal_id>")
    def move(deal_id):
        data = request.get_json()
        deal = db.session.get(Deal, deal_id)
        if deal is None:
            return jsonify({"error": "not found"}), 404
        if data.get("version") is not None and int(data["version"]) != deal.version:
            return jsonify({"error": "conflict"}), 409
        now = utcnow()
        db.session.add(DealHistory(deal_id=deal.id, at=now, user_id=g.api_user.id, kind="move",
                                   from_status=deal.status, to_status=data["status"], comment="",
                                   entered_at=deal.status_changed_at))
        deal.status, deal.status_changed_at = data["status"], now
        try:
            db.session.flush()
        except StaleDataError:
            db.session.rollback()
            return jsonify({"error": "conflict"}), 409
        body = {"id": deal.id, "number": deal.number, "status": deal.status, "version": deal.version}
        db.session.commit()
        return jsonify(body)

    @app.get("/list")
    def list_deals():
        mine = [Deal.responsible_id == int(request.args["responsible"])]
        if ARCHIVED:
            mine.append(Deal.status.not_in(ARCHIVED))
        rows = db.session.execute(select(*LISTED).where(*mine).order_by(Deal.number.desc()).limit(PER_PAGE))
        names = [column.key for column in LISTED]
        deals = [dict(zip(names, row)) for row in rows]
        for deal in deals:
            deal["budget"] = None if deal["budget"] is None else str(deal["budget"])
        total = db.session.scalar(select(func.count(Deal.id)).where(*mine))
        return jsonify({"deals": deals, "total": total})

    return app


app = create_app()
