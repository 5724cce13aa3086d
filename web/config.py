"""Configuration: defaults → instance config.py → DEALFLOW_* environment variables."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url(url):
    """Use psycopg 3 for PostgreSQL URLs given in the common short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance_path):
    """The secret key from the environment, else one kept in the instance folder."""
    if os.environ.get("DEALFLOW_SECRET_KEY"):
        return os.environ["DEALFLOW_SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load(app, test_config=None):
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "dealflow.db"),
        # No ping on every checkout (a round trip per request): web.ping_idle_connections pings only a
        # connection that sat unused in the pool longer than this many seconds.
        SQLALCHEMY_ENGINE_OPTIONS={},
        DATABASE_PING_IDLE_SECONDS=10,
        BPMN_DIR=str(ROOT / "bpmn"),
        BABEL_DEFAULT_LOCALE="ru",
        TIMEZONE="Europe/Moscow",  # times typed without an offset are meant here
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # True: always Secure; else Secure whenever the request came over HTTPS
        SESSION_IDLE_HOURS=12,  # a login session unused this long ends (the cookie expires with it)
        TRUSTED_PROXIES=0,  # reverse proxies in front whose X-Forwarded-For/-Proto are believed
        API_PAGE_SIZE=50,
        MAX_CONTENT_LENGTH=128 * 1024 * 1024,  # a whole request: room for 10 assignment files of 10 MB
        SCRIPT_CPU_SECONDS=1.0,  # CPU-time budget of each script, condition and timer expression of a diagram
        SCRIPT_MEMORY_MB=256,  # and its memory budget (engine/scripting.py)
        ROT_DIGEST_HOUR=8,  # local hour from which the worker queues each manager's digest of rotting deals
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if os.environ.get("DATABASE_URL") and (test_config is None or "SQLALCHEMY_DATABASE_URI" not in test_config):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.from_prefixed_env("DEALFLOW")
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # The pool lends the connection returned last (LIFO), not the one idle longest: it is the one holding
        # the prepared statements of the pages (engine.db.keep_prepared_statements), and connections a quiet
        # hour does not need stay idle instead of taking turns.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_use_lifo": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    # Pages show stored (UTC) times in the zone people type them in, so «18:00» entered reads back «18:00».
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(app.config["SESSION_IDLE_HOURS"]))
    app.config["TRUSTED_PROXIES"] = int(app.config["TRUSTED_PROXIES"])
    app.config["ROT_DIGEST_HOUR"] = int(app.config["ROT_DIGEST_HOUR"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
