"""The schema comes only from migrations: one head, `flask db upgrade` and back, and the models agree with it."""
import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from engine.db import db

FLASK = Path(sys.executable).with_name("flask")


def _flask(db_url, *args):
    env = {**os.environ, "DATABASE_URL": db_url, "DEALFLOW_SECRET_KEY": "migrations-test"}
    done = subprocess.run([FLASK, "--app", "web", "db", *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_flask_db_upgrade_reaches_the_one_head_and_downgrades_cleanly(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrations.db'}"
    heads = _flask(url, "heads").split()
    assert heads.count("(head)") == 1, f"several heads: merge them ({heads})"
    _flask(url, "upgrade")
    assert "(head)" in _flask(url, "current")
    _flask(url, "downgrade", "base")
    _flask(url, "upgrade")
    assert "(head)" in _flask(url, "current")


def test_the_models_match_the_migrated_schema(app):
    """A column added to a model without a migration would make a fresh database differ from the code."""
    with app.app_context():
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        engine.dispose()
    assert diff == [], diff
