"""A manager ticks deals in the journal, moves them at once and reads a report per deal."""
import pytest

from tests.web.conftest import screenshot
from tests.web.helpers import make_deal, read_deal

pytestmark = pytest.mark.usefixtures("live_server")


def test_bulk_move_with_a_per_deal_report(app, browser_page):
    page = browser_page
    mine = [make_deal(app, name=f"Моя {i}", status="firstContact") for i in range(2)]
    other = make_deal(app, owner="manager2", name="Чужая", status="firstContact")
    page.sign_in("manager")
    page.goto(f"{page.base}/v2/journals?journalId=deals-journal")
    for number in (*mine, other):
        page.check(f'#journal tr[data-number="{number}"] input[name=numbers]')
    page.select_option("#bulk-action", "move")
    page.select_option("#bulk-status", "identifyNeeds")
    page.click("#bulk-apply")
    page.wait_for_selector("#bulk-report")
    screenshot(page, "bulk-report")
    for number in mine:
        assert page.inner_text(f'#bulk-report tr[data-number="{number}"] .bulk-outcome') == "сделано"
        assert read_deal(app, number)[0] == "identifyNeeds"
    refused = page.locator(f'#bulk-report tr[data-number="{other}"]')
    assert refused.locator(".bulk-outcome").inner_text() == "отказано"
    assert "another manager" in refused.locator(".bulk-reason").inner_text()
    assert page.inner_text("#bulk-summary") == "Сделано: 2. Отказано: 1."
    page.click("#back-to-journal")
    page.wait_for_selector("#journal")
    assert read_deal(app, other)[0] == "firstContact"
