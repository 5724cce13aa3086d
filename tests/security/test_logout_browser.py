"""«Выйти на всех устройствах» from the header's user menu, in Chromium."""
import pytest

import re

from tests.web.conftest import browser_page, csrf_app, live_server, staff  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_log_out_everywhere_from_the_user_menu(browser_page, app):
    page = browser_page
    other_device = app.test_client()  # CSRF is on here, as in production
    token = re.search(r'name="csrf_token" value="([^"]+)"', other_device.get("/login").get_data(as_text=True)).group(1)
    assert other_device.post("/login", data={"username": "manager", "password": "secret123",
                                             "csrf_token": token}).status_code == 302
    assert other_device.get("/tasks").status_code == 200
    page.sign_in("manager")
    assert not page.locator("#logout-everywhere button").is_visible()  # folded under the user's name
    page.click("header .user-menu summary")
    page.click("#logout-everywhere button")
    page.wait_for_url("**/login**")
    page.goto(f"{page.base}/tasks")
    assert "/login" in page.url
    response = other_device.get("/tasks")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
