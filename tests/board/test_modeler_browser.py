"""The modeler's dealflow panel sets rotDays and wipLimit on a status; the deployed board follows them."""
import pytest

from tests.analyst.test_browser import modeler_has, open_modeler, panel, select
from tests.web.helpers import make_deal

pytestmark = pytest.mark.usefixtures("live_server")


def test_panel_sets_rot_days_and_wip_limit_and_the_board_follows(app, browser_page):
    page = browser_page
    for _ in range(2):
        make_deal(app, status="presentation")
    open_modeler(page)
    select(page, "presentation")
    assert page.input_value("#bio-properties-panel-dealflow-rotDays") == "7"  # as shipped
    assert "wipLimit" in page.inner_text("label[for='bio-properties-panel-dealflow-wipLimit']")
    panel(page, "dealflow-wipLimit", "1")
    modeler_has(page, "JSON.stringify(r.get('presentation').businessObject.extensionElements).includes('wipLimit')")
    page.click("#bpmn-validate")
    page.wait_for_selector("#bpmn-status.ok")
    page.click("#bpmn-deploy")
    page.wait_for_selector("#deploy-confirm[open] .diff-property")
    assert "wipLimit" in page.inner_text("#deploy-diff")
    page.click("#deploy-confirm-yes")
    page.wait_for_selector("#bpmn-status.deployed")
    page.goto(f"{page.base}/v2/journals?journalId=deals-journal&viewMode=kanban")
    head = page.locator('.kcolumn[data-status="presentation"] .kcolumn-meta')
    assert head.inner_text().startswith("2 / 1") and "kcolumn-over" in head.get_attribute("class")


def test_deploying_an_unchanged_diagram_says_so_and_makes_no_version(app, browser_page):
    page = browser_page
    open_modeler(page)
    page.click("#bpmn-deploy")
    page.wait_for_selector("#bpmn-status:has-text('Без изменений')")
    assert page.locator("#deploy-confirm[open]").count() == 0
    with app.app_context():
        from engine import definitions
        assert definitions.latest("deal").version == 1
