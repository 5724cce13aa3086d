"""Fixtures of the web UI tests: logged-in clients, a live server and a real Chromium."""
import re
from pathlib import Path

import pytest

from tests.web.helpers import served_over_http

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LANDED = re.compile(r".*/(v2/journals|decisions)\b.*")


def login(client, username, password="secret123"):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.data[:500]
    return client


@pytest.fixture
def staff(app):
    """One user per role (password secret123), made without keeping an app context open.

    Each test-client request then gets its own app context, as in production, so
    the logged-in user cached in ``g`` never leaks from one client to another.
    """
    from engine.db import db
    from processes import users
    with app.app_context():
        for username, role in (("manager", "manager"), ("manager2", "manager"), ("director", "director"),
                               ("analyst", "analyst"), ("admin", "admin")):
            users.create_user(username, role, "secret123", username.title())
        db.session.commit()
    return app


@pytest.fixture
def as_user(app, staff):
    """A factory of test clients logged in as one of the staff."""
    def make(username):
        return login(app.test_client(), username)
    return make


@pytest.fixture
def csrf_app(app):
    """The app with CSRF checks on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def live_server(csrf_app, staff):
    """The app served over HTTP on a free loopback port, in a thread."""
    with served_over_http(csrf_app, threaded=False) as url:
        yield url


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context (own cookies) with a page, and a helper to log in."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)

    def sign_in(username):
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "secret123")
        page.click("button[type=submit]")
        page.wait_for_url(LANDED)  # the journal; a director's «Решения»

    page.base = live_server
    page.sign_in = sign_in
    yield page
    context.close()


def screenshot(page, name):
    """Keep a picture of the page in tests/artifacts/ (git-ignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def drag(page, source, target, steps=20):
    """Drag an element onto another with real mouse moves (what SortableJS listens to).

    It waits first for the previous drag to settle (a reverted card animates back to its column), and for
    SortableJS's own mark of a card it is animating into place (``animated``, cleared by a timer after the drop's
    animation): a press on such a card starts no drag, so a drop cancelled at once and dragged again went nowhere.
    """
    page.wait_for_function("""(selector) => {
      const el = document.querySelector(selector);
      return el && !el.animated && !document.querySelector('.sortable-fallback, .sortable-chosen, .sortable-drag')
        && getComputedStyle(el).transform === 'none' && !el.getAnimations().length;
    }""", arg=source)
    start = page.locator(source).bounding_box()
    end = page.locator(target).bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + start["height"] / 2 + 5, steps=3)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + min(40, end["height"] / 2), steps=steps)
    page.mouse.up()
