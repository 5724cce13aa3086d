"""A director logs in, sees the waiting decision on the first screen and decides it without a claim."""
import pytest

from tests.web.conftest import screenshot
from tests.web.helpers import make_deal, move, read_deal

pytestmark = pytest.mark.usefixtures("live_server")


def test_director_sees_the_decision_first_and_decides_without_claim(app, browser_page):
    page = browser_page
    number = make_deal(app, name="Крупный заказ", budget="2500000")
    move(app, number, "decision", comment="Прошу одобрить скидку")
    page.sign_in("director")
    assert page.url.endswith("/decisions")
    row = page.locator(f'#decisions tr[data-number="{number}"]')
    assert row.is_visible() and row.bounding_box()["y"] < 1000  # on the first screen
    assert "2 500 000,00 ₽" in row.inner_text().replace("\u00a0", " ")
    screenshot(page, "decisions")
    row.locator("a.decision-link").click()
    page.wait_for_selector("#decision-form")
    assert page.locator("#claim-task").count() == 0
    assert "Прошу одобрить скидку" in page.inner_text("#manager-comment")
    page.check("#decision-form input[value=refusal]")
    assert page.locator("#decision-comment").evaluate("el => el.required")  # marked before sending
    page.check("#decision-form input[value=completed]")
    assert not page.locator("#decision-comment").evaluate("el => el.required")
    page.click("#complete-task")
    page.wait_for_url("**/decisions")
    assert page.locator(f'#decisions tr[data-number="{number}"]').count() == 0
    assert read_deal(app, number)[0] == "completed"
