"""Helpers of the web tests: deals made through the domain, as the UI would; the app served over HTTP."""
import threading
from contextlib import contextmanager

from werkzeug.serving import make_server

from engine.db import db
from processes import deals, moves, users


def make_deal(app, owner="manager", status=None, **fields):
    """Create a deal as owner; return its number."""
    with app.app_context():
        data = {"company": "ООО «Тест»", **fields}
        deal = deals.create_deal(data, users.get_by_username(owner), status=status)
        db.session.commit()
        return deal.number


def move(app, number, status, who="manager", comment=""):
    with app.app_context():
        moves.move_deal(deals.get_deal(number), status, users.get_by_username(who), comment=comment)
        db.session.commit()


def read_deal(app, number):
    """(status, [(from, to, comment) of the history]) of a deal."""
    with app.app_context():
        deal = deals.get_deal(number)
        return deal.status, [(h.from_status, h.to_status, h.comment) for h in deals.history(deal)]


@contextmanager
def served_over_http(app, threaded):
    """The app served on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=threaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
