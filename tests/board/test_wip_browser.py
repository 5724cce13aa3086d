"""A drop that would pass a column's WIP limit asks first; cancelling keeps the card where it was."""
import pytest

from tests.board.helpers import deploy_with
from tests.web.conftest import drag, screenshot
from tests.web.helpers import make_deal, read_deal

pytestmark = pytest.mark.usefixtures("live_server")


def _column(code):
    return f'.kcolumn[data-status="{code}"]'


def test_a_drop_past_the_wip_limit_asks_to_confirm(app, browser_page):
    page = browser_page
    deploy_with(app, "identifyNeeds", wipLimit="1")
    make_deal(app, status="identifyNeeds", budget="1000")
    first = make_deal(app, status="firstContact", budget="2000")
    second = make_deal(app, status="firstContact", budget="3000")
    page.sign_in("manager")
    page.goto(f"{page.base}/v2/journals?journalId=deals-journal&viewMode=kanban")
    head = f"{_column('identifyNeeds')} .kcolumn-meta"
    assert page.inner_text(head).startswith("1 / 1") and "kcolumn-over" not in page.get_attribute(head, "class")

    drag(page, f'.kcard[data-number="{first}"]', f"{_column('identifyNeeds')} .kcards")
    page.wait_for_selector("#wip-dialog[open]")
    assert "1" in page.inner_text("#wip-text") and "Сбор потребностей" in page.inner_text("#wip-text")
    screenshot(page, "wip-confirm")
    page.click("#wip-cancel")
    page.wait_for_selector(f'{_column("firstContact")} .kcard[data-number="{first}"]')
    assert read_deal(app, first)[0] == "firstContact"

    drag(page, f'.kcard[data-number="{second}"]', f"{_column('identifyNeeds')} .kcards")
    page.wait_for_selector("#wip-dialog[open]")
    page.click("#wip-ok")
    page.wait_for_selector(f'{_column("identifyNeeds")} .kcard[data-number="{second}"]')
    page.wait_for_function("(sel) => document.querySelector(sel).textContent.trim().startsWith('2')", arg=head)
    assert "kcolumn-over" in page.get_attribute(head, "class")
    assert read_deal(app, second)[0] == "identifyNeeds"
