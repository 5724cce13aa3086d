"""On a phone (390 px, touch) every item of the menu is in sight and a tap away: «Поручения» above all."""
import pytest

from tests.web.conftest import screenshot
from tests.web.test_phone_layout import PHONE, _inside, _sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["manager", "admin"])
def test_every_menu_item_is_in_sight_on_a_phone(chromium, live_server, username):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, live_server, username)
        links = page.locator(".topbar .nav a")
        assert links.count() >= 6
        for index in range(links.count()):
            box = links.nth(index).bounding_box()  # where it is now, nothing scrolled on the user's behalf
            assert _inside(box), f"«{links.nth(index).inner_text()}» at {box}: off a {PHONE} screen"
        screenshot(page, f"phone-menu-{username}")
        assignments = page.locator("#nav-assignments").bounding_box()
        page.touchscreen.tap(assignments["x"] + assignments["width"] / 2, assignments["y"] + assignments["height"] / 2)
        page.wait_for_url("**/assignments")
        assert page.locator("#nav-assignments").bounding_box() == assignments  # the same place on every page
    finally:
        context.close()
