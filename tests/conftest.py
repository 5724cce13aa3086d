"""Fixtures: an app on a fresh, migrated database per test (SQLite or PostgreSQL).

``DATABASE_URL`` picks PostgreSQL for the whole suite. Tests marked ``pg``
always need PostgreSQL: they use ``DATABASE_URL`` when it is PostgreSQL, else
``DEALFLOW_TEST_PG_URL`` (default: the local server's ``test`` database).
Without a reachable server they skip — or fail when ``CI=true``.
"""
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.db import db
from engine import cache as workflow_cache
from engine import serializer
from engine.parsing import spec_cache
from web import create_app

# Every save of the suite checks the task texts dumps keeps against SpiffWorkflow's own conversion.
serializer.CHECK = True

ROOT = Path(__file__).resolve().parent.parent
BPMN_DIR = ROOT / "bpmn"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(reason):
    """Skip a test whose real dependency is missing; in CI, fail instead."""
    if IN_CI:
        pytest.fail(f"missing in CI: {reason}")
    pytest.skip(reason)


def _is_pg(url):
    return bool(url) and url.startswith(("postgres://", "postgresql"))


def pg_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if _is_pg(url) else os.environ.get("DEALFLOW_TEST_PG_URL", DEFAULT_PG)


def _pg_reachable(url):
    from web.config import database_url
    try:
        engine = create_engine(database_url(url))
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def _migrate(app):
    import flask_migrate
    from web import MIGRATIONS
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="head")
        db.engine.dispose()  # closes SQLite's WAL so the file can be copied whole


def _reset_pg(url):
    from web.config import database_url
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True}))
    return path


@pytest.fixture(scope="session")
def _pg_migrated():
    url = pg_url()
    if not _pg_reachable(url):
        return None
    _reset_pg(url)
    _migrate(create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True}))
    return url


def _truncate_all(app):
    with app.app_context():
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()


def _make_app(url, tmp_path, extra=None):
    config = {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "test",
              "WTF_CSRF_ENABLED": False, "BPMN_DIR": str(BPMN_DIR)}
    config.update(extra or {})
    app = create_app(config)
    app.instance_path = str(tmp_path / "instance")
    return app


def _initialize(app):
    from processes.deploy import initialize
    with app.app_context():
        initialize(app.config["BPMN_DIR"])
        db.session.commit()


@pytest.fixture
def app(request, tmp_path, _sqlite_template):
    """A dealflow app on a fresh database with bpmn/ deployed and sources seeded."""
    spec_cache.clear()
    workflow_cache.clear()  # instance ids repeat across test databases
    if _is_pg(os.environ.get("DATABASE_URL", "")) or request.node.get_closest_marker("pg"):
        url = request.getfixturevalue("_pg_migrated")
        if url is None:
            require(f"PostgreSQL not reachable at {pg_url()}")
        app = _make_app(url, tmp_path)
        _truncate_all(app)
    else:
        path = tmp_path / "dealflow.db"
        shutil.copy(_sqlite_template, path)
        app = _make_app(f"sqlite:///{path}", tmp_path)
    _initialize(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context for calling the domain directly."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def people(ctx):
    """One user per role (plus a second manager), committed."""
    from processes import users
    made = {}
    for username, role in (("manager", "manager"), ("manager2", "manager"), ("director", "director"),
                           ("analyst", "analyst"), ("admin", "admin")):
        made[username], _ = users.create_user(username, role, "secret123", username.title())
    db.session.commit()
    return made


@pytest.fixture
def tokens(app, people):
    """API bearer tokens of the people, by username."""
    from processes import users
    result = {name: users.issue_token(name) for name in people}
    db.session.commit()
    return result


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not os.path.exists(CHROMIUM):
        require(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
