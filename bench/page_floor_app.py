"""The stack floor of bench/web.py's pages: the least Flask + Flask-SQLAlchemy + Jinja + Flask-Babel/Flask-Login
can do for the journal page and the board, on the same seeded database.

What makes a page's cost fixed is the stack, not dealflow: this app does per request only what the pages
cannot do without — a server-side login session looked up in the database with its user (as
processes/sessions.py does), then, for the journal, one SELECT of the page's 50 rows (same filter and sort as
bench/web.py's JOURNAL) and its total COUNT, for the board, one GROUP BY of every column's count and budget
sum and one UNION ALL of each column's first 50 cards; each rendered by a Jinja template with labels through
Flask-Babel's gettext. Statements are SQLAlchemy Core, built once with bind parameters, run through
Flask-SQLAlchemy's session; no entities. The diagram's statuses (codes, labels, percents, archive flags) are
given at creation, as dealflow keeps its deployed model in memory.
"""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import Flask, render_template, request
from flask_login import current_user
from flask_babel import Babel, get_timezone
from flask_babel import gettext as _
from flask_login import LoginManager, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import (Boolean, Column, DateTime, Integer, MetaData, Numeric, String, Table, bindparam, event,
                        func, insert, literal, select, union_all)

from web.i18n import TRANSLATIONS

metadata = MetaData()
users = Table("users", metadata, Column("id", Integer, primary_key=True), Column("username", String),
              Column("full_name", String), Column("role", String), Column("active", Boolean))
user_sessions = Table("user_sessions", metadata, Column("id", String, primary_key=True), Column("user_id", Integer),
                      Column("created_at", DateTime), Column("last_seen_at", DateTime))
sources = Table("sources", metadata, Column("id", Integer, primary_key=True), Column("name", String))
deals = Table("deals", metadata, Column("id", Integer, primary_key=True), Column("number", Integer),
              Column("name", String), Column("company", String), Column("budget", Numeric),
              Column("contact_name", String), Column("responsible_id", Integer), Column("created_at", DateTime),
              Column("source_id", Integer), Column("status", String))

OWNER = func.coalesce(func.nullif(users.c.full_name, ""), users.c.username)
SESSION = (select(users.c.id, users.c.username, users.c.full_name, users.c.role, users.c.active,
                  user_sessions.c.last_seen_at)
           .join(users, users.c.id == user_sessions.c.user_id).where(user_sessions.c.id == bindparam("key")))
JOURNAL_WHERE = (deals.c.status == bindparam("status"), deals.c.budget >= bindparam("budget_min"))
JOURNAL_ROWS = (select(deals.c.id, deals.c.number, deals.c.name, deals.c.company, deals.c.budget,
                       deals.c.contact_name, OWNER.label("responsible"), deals.c.created_at,
                       sources.c.name.label("source"), deals.c.status)
                .outerjoin(users, users.c.id == deals.c.responsible_id)
                .outerjoin(sources, sources.c.id == deals.c.source_id)
                .where(*JOURNAL_WHERE).order_by(deals.c.budget.desc(), deals.c.number.desc()).limit(50))
JOURNAL_COUNT = select(func.count()).select_from(deals).where(*JOURNAL_WHERE)
IDLE = timedelta(hours=12)

JOURNAL_PAGE = """<!doctype html><html lang="ru"><head><title>{{ _('Deals') }}</title></head><body>
<header>{{ user.name }}</header>
<p>{{ _('Found: %(count)s', count=total) }}</p>
<table class="journal"><thead><tr>{% for label in labels %}<th>{{ label }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr data-number="{{ row.number }}">
<td><a href="/deals/{{ row.number }}">{{ row.number }}</a></td><td><a href="/deals/{{ row.number }}">{{ row.name }}</a></td>
<td>{{ row.company }}</td><td>{{ row.budget|money }}</td><td>{{ row.contact_name }}</td><td>{{ row.responsible }}</td>
<td>{{ row.created_at|local_time }}</td><td>{{ row.source or '' }}</td><td>{{ status_labels[row.status] }}</td>
</tr>{% endfor %}</tbody></table></body></html>"""

BOARD_PAGE = """<!doctype html><html lang="ru"><head><title>{{ _('Kanban') }}</title></head><body>
<header>{{ user.name }}</header>
<div class="board">{% for column in columns %}<section data-status="{{ column.code }}">
<h2>{{ column.label }}</h2><span class="kcount">{{ column.count }}</span> · <span class="ksum">{{ column.budget|money }}</span>
{% if column.weighted is not none %}<div>{{ _('weighted') }} {{ column.weighted|money }}</div>{% endif %}
{% for card in column.cards %}<article data-number="{{ card.number }}"><a href="/deals/{{ card.number }}">№ {{ card.number }}</a>
<a href="/deals/{{ card.number }}">{{ card.name }}</a><div>{{ card.company }}</div>
<span>{{ card.budget|money }}</span> <span>{{ card.owner }}</span></article>
{% endfor %}</section>{% endfor %}</div></body></html>"""


class SessionUser:
    """The logged-in user as Flask-Login wants it, from the session row's join."""

    is_authenticated, is_active, is_anonymous = True, True, False

    def __init__(self, secret, row):
        self.secret, self.id, self.role = secret, row.id, row.role
        self.name = row.full_name or row.username

    def get_id(self):
        return self.secret


def _digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _money(value):
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0₽"


def create_app(url, board_statuses):
    """The floor app on database ``url``; ``board_statuses``: (code, label, percent or None, archive) in board order."""
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="floor", BABEL_DEFAULT_LOCALE="ru",
                      BABEL_DEFAULT_TIMEZONE="Europe/Moscow")
    db = SQLAlchemy(app, metadata=metadata)
    Babel(app, default_translation_directories=str(TRANSLATIONS))
    login = LoginManager(app)
    app.jinja_loader = DictLoader({"journal.html": JOURNAL_PAGE, "board.html": BOARD_PAGE})  # compiled once, cached
    labels = {code: label for code, label, _percent, _archive in board_statuses}
    shown = [(code, label, percent) for code, label, percent, archive in board_statuses if not archive]
    archived = [code for code, _label, _percent, archive in board_statuses if archive]
    card_pages = [select(deals.c.id).where(deals.c.status == code)
                  .order_by(deals.c.number.desc()).limit(50).subquery() for code, _label, _percent in shown]
    board_cards = (select(deals.c.id, deals.c.number, deals.c.name, deals.c.company, deals.c.budget, deals.c.status,
                          OWNER.label("owner"))
                   .outerjoin(users, users.c.id == deals.c.responsible_id)
                   .where(deals.c.id.in_(union_all(*(select(page) for page in card_pages))))
                   .order_by(deals.c.number.desc()))
    board_totals = (select(deals.c.status, func.count(), func.coalesce(func.sum(deals.c.budget), literal(0)))
                    .where(deals.c.status.not_in(archived)).group_by(deals.c.status))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # The plan dealflow asks for with SET LOCAL (one serial index-only scan for the totals), here set
            # once per connection: the least a request can pay for it.
            event.listen(db.engine, "connect", _serial_plans)

    @app.template_filter("money")
    def money(value):
        return _money(value)

    @app.template_filter("local_time")
    def local_time(value):
        return value.replace(tzinfo=timezone.utc).astimezone(get_timezone()).strftime("%d.%m.%Y %H:%M")

    @login.user_loader
    def load_user(secret):
        row = db.session.execute(SESSION, {"key": _digest(secret)}).first()
        if row is None or not row.active or row.last_seen_at < datetime.utcnow() - IDLE:
            return None
        return SessionUser(secret, row)

    @app.post("/login")
    def log_in():
        """A session for the user named in the form (no password: a bench's stand-in for dealflow's login)."""
        user = db.session.execute(select(users).where(users.c.username == request.form["username"])).first()
        secret = secrets.token_urlsafe(32)
        now = datetime.utcnow()
        db.session.execute(insert(user_sessions).values(id=_digest(secret), user_id=user.id, created_at=now,
                                                        last_seen_at=now))
        db.session.commit()
        login_user(SessionUser(secret, user))
        return "ok"

    @app.get("/journal")
    @login_required
    def journal():
        values = {"status": request.args["status"], "budget_min": int(request.args["budget_min"])}
        rows = db.session.execute(JOURNAL_ROWS, values).all()
        total = db.session.scalar(JOURNAL_COUNT, values)
        headers = [_("No."), _("Name"), _("Company"), _("Budget"), _("Full name"), _("Responsible"), _("Created"),
                   _("Source"), _("Status")]
        return render_template("journal.html", rows=rows, total=total, labels=headers, status_labels=labels,
                               user=current_user)

    @app.get("/board")
    @login_required
    def board():
        totals = {status: (count, budget) for status, count, budget in db.session.execute(board_totals)}
        cards = {}
        for card in db.session.execute(board_cards):
            cards.setdefault(card.status, []).append(card)
        columns = []
        for code, label, percent in shown:
            count, budget = totals.get(code, (0, 0))
            columns.append({"code": code, "label": label, "count": count, "budget": budget,
                            "weighted": None if percent is None else budget * percent / 100,
                            "cards": cards.get(code, [])})
        return render_template("board.html", columns=columns, user=current_user)

    return app


def _serial_plans(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("SET max_parallel_workers_per_gather = 0")
    cursor.close()
    dbapi_connection.commit()
