"""The web face and the one place that wires the packages together."""
import time
from pathlib import Path

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_migrate import Migrate
from sqlalchemy import event, exc
from werkzeug.middleware.proxy_fix import ProxyFix

from engine import labels, scripting
from engine.db import db, keep_prepared_statements
from processes import fields
from web import config, i18n

migrate = Migrate()
MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config=None):
    """Create and configure the dealflow application."""
    app = Flask(__name__, instance_relative_config=True)
    from web import input as request_input
    request_input.init_app(app)
    config.load(app, test_config)
    if app.config["TRUSTED_PROXIES"]:
        # Only as many X-Forwarded-* hops as there are proxies of ours: a client cannot forge its address.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.session_interface = SessionCookies()
    fields.set_timezone(app.config["TIMEZONE"])
    scripting.configure(app.config["SCRIPT_CPU_SECONDS"], app.config["SCRIPT_MEMORY_MB"])
    labels.read_in(i18n.reader_language)  # statuses, stages, task names and verdicts: label.<language> properties
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    import tasks.all_models  # noqa: F401  every table and index on the metadata (Alembic imports the same)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
        if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):  # else pinged on every checkout
            ping_idle_connections(db.engine, float(app.config["DATABASE_PING_IDLE_SECONDS"]))
        keep_prepared_statements(db.engine)

    from web.api import bp as api_bp
    from web.errors import register as register_errors

    app.register_blueprint(api_bp)
    from web.health import bp as health_bp
    app.register_blueprint(health_bp)
    register_errors(app)
    from web import assets, headers
    headers.init_app(app)
    assets.init_app(app)
    from web import ui
    ui.init_app(app)
    from web import assignments as assignment_pages
    assignment_pages.init_app(app)
    from web.mailsettings import bp as mailsettings_bp
    app.register_blueprint(mailsettings_bp)
    from web.smtpsettings import bp as smtpsettings_bp
    app.register_blueprint(smtpsettings_bp)
    from web.processes_ui import bp as processes_ui_bp
    app.register_blueprint(processes_ui_bp)
    from web.users import bp as users_bp
    app.register_blueprint(users_bp)
    from web.analytics import bp as analytics_bp
    app.register_blueprint(analytics_bp)
    return app


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie, made Secure by the setting or by a request that came over HTTPS.

    Behind a trusted proxy (``TRUSTED_PROXIES``) that is its X-Forwarded-Proto,
    so a site served over HTTPS never sends the session cookie in clear text.
    """

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure))


def ping_idle_connections(engine, idle_seconds):
    """Before the pool lends a connection that sat unused longer than ``idle_seconds``, ask the database
    whether it is still there; a dead one (a restarted server, a dropped link) is replaced by a new one.

    SQLAlchemy's ``pool_pre_ping`` asks on every checkout: one more round trip for every request, while a
    connection in steady use has just answered (``pool_pre_ping`` set in ``SQLALCHEMY_ENGINE_OPTIONS`` still wins).
    """
    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _lent(dbapi_connection, record, _proxy):
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001  (any failure: the pool opens a new connection instead)
            raise exc.DisconnectionError(f"a pooled connection idle for {time.monotonic() - since:.0f} s "
                                         f"did not answer: {error}") from error


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # SQLite's own lower() folds ASCII only; searches and lookups must fold Cyrillic too.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value
