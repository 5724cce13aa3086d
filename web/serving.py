"""How ``dealflow serve`` runs gunicorn: worker count and class for the machine, overridable.

Defaults: ``2 × CPUs + 1`` worker processes (gunicorn's own advice; at most 12) of the ``gthread`` class with
2 threads each. Processes use every core for the Python work (the GIL allows one thread per process at a
time); the second thread of each overlaps one request's database wait with another's work and keeps
connections alive between requests (the ``sync`` class closes each one). ``--threads 1`` gives ``sync``
workers. Each process keeps its own SQLAlchemy connection pool (PostgreSQL: a QueuePool keeping 5
connections open, more than a worker's threads), so a request borrows an open connection instead of
connecting; a connection is pinged only when it sat idle longer than ``DATABASE_PING_IDLE_SECONDS``
(web.ping_idle_connections), not on every request.
"""
import os
import sys

MAX_WORKERS = 12
THREADS = 2


def default_workers(cpus=None):
    cpus = cpus or os.cpu_count() or 1
    return min(2 * cpus + 1, MAX_WORKERS)


def gunicorn_command(app_path, host, port, workers=None, threads=None, access_log=True):
    """The argv that runs ``app_path`` (module:callable) under gunicorn with these settings."""
    workers = workers or default_workers()
    threads = threads or THREADS
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
            # gunicorn 24+ opens a control socket at one path per user (~/.gunicorn/gunicorn.ctl): a second
            # instance on the host would take it over or fail on it. dealflow never uses it (it is stopped and
            # reloaded by signals), so none is opened: each `dealflow serve` stands alone.
            "--no-control-socket"]
    if threads > 1:
        argv += ["--worker-class", "gthread", "--threads", str(threads)]
    else:
        argv += ["--worker-class", "sync"]
    if access_log:
        argv += ["--access-logfile", "-"]
    return argv + [app_path]
