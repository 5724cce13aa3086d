"""In Chromium: the modeler lints while an analyst draws, a reason's click selects its element, token simulation."""
import re

from tests.analyst.test_browser import modeler_has, open_modeler, panel, select
from tests.web.conftest import screenshot

SPIFF_REASON = "Non-default exclusive outgoing sequence flow without condition."


def lint_issues(page, element_id):
    """{rule: message} of the lint marks on an element's overlay, as the canvas shows them."""
    return dict(page.locator(f".djs-overlays[data-container-id='{element_id}'] .bjsl-overlay li[data-rule]")
                .evaluate_all("els => els.map(e => [e.dataset.rule, e.querySelector('.message').textContent])"))


def test_lint_marks_a_status_without_stage_on_the_canvas(browser_page):
    page = browser_page
    open_modeler(page)
    # The shipped diagram lints clean: the tuned recommended rules and dealflow's own find nothing.
    page.wait_for_selector(".bjsl-button.bjsl-button-success")
    assert page.inner_text(".bjsl-button") == "Замечаний нет"
    assert page.locator(".bjsl-overlay").count() == 0
    select(page, "firstContact")
    panel(page, "dealflow-stage", "")
    page.wait_for_selector(".djs-overlays[data-container-id='firstContact'] .bjsl-icon-error")
    assert lint_issues(page, "firstContact") == {"dealflow/status-properties": "У статуса нет стадии"}
    assert page.inner_text(".bjsl-button") == "Ошибок: 1, предупреждений: 0"
    screenshot(page, "modeler-lint")
    # Put back, the mark goes: the lint follows the drawing, no «Проверить» needed.
    panel(page, "dealflow-stage", "20% Квалификация")
    page.wait_for_selector(".bjsl-button.bjsl-button-success")
    assert page.locator(".djs-overlays[data-container-id='firstContact'] .bjsl-overlay").count() == 0


def test_lint_marks_a_decision_drawn_in_the_manager_lane(browser_page):
    page = browser_page
    open_modeler(page)
    page.wait_for_selector(".bjsl-button.bjsl-button-success")
    page.evaluate("""() => {
      const m = window.dealflowModeler, r = m.get('elementRegistry');
      m.get('modeling').moveElements([r.get('decision')], {x: 0, y: -200}, r.get('manager'));
    }""")
    page.wait_for_selector(".djs-overlays[data-container-id='decision'] .bjsl-icon-error")
    assert lint_issues(page, "decision") == {
        "dealflow/decision-in-director-lane": "Задача решения должна быть на дорожке директора"}


def _flow_without_condition(page, flow="Flow_route_pause"):
    """Clear a routing flow's condition in the panel and validate: the server names the flow."""
    select(page, flow)
    panel(page, "dealflow-condition", "")
    modeler_has(page, f"!r.get('{flow}').businessObject.conditionExpression")
    page.click("#bpmn-validate")
    return page.locator(f"#bpmn-problems li[data-element='{flow}']")


def test_clicking_a_reason_selects_and_shows_its_element(browser_page):
    page = browser_page
    open_modeler(page)
    reason = _flow_without_condition(page)
    reason.wait_for()
    page.evaluate("window.dealflowModeler.get('selection').select(null)")
    before = page.evaluate("window.dealflowModeler.get('canvas').viewbox()")
    reason.click()
    selected = page.evaluate("window.dealflowModeler.get('selection').get().map(e => e.id)")
    assert selected == ["Flow_route_pause"]
    # The canvas zoomed to at least 100 % with the flow in the middle of the view.
    box = page.evaluate("window.dealflowModeler.get('canvas').viewbox()")
    assert box["scale"] >= 1 > before["scale"]
    middle = page.evaluate("""() => {
      const m = window.dealflowModeler, e = m.get('elementRegistry').get('Flow_route_pause');
      const xs = e.waypoints.map(p => p.x), ys = e.waypoints.map(p => p.y);
      return {x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2};
    }""")
    assert abs(box["x"] + box["width"] / 2 - middle["x"]) < 2 and abs(box["y"] + box["height"] / 2 - middle["y"]) < 2
    screenshot(page, "modeler-reason-clicked")


def test_russian_modeler_shows_spiffworkflows_reason_in_russian(browser_page):
    """SpiffWorkflow's English reason reaches the Russian modeler translated (the server translates it)."""
    page = browser_page
    open_modeler(page)
    reason = _flow_without_condition(page)
    reason.wait_for()
    text = reason.inner_text().removeprefix("Flow_route_pause: ")
    assert SPIFF_REASON not in text and re.search("[а-яё]", text, re.IGNORECASE), text


def test_simulation_button_toggles_token_simulation(browser_page):
    page = browser_page
    open_modeler(page)
    button = page.locator("#bpmn-simulate")
    assert button.inner_text() == "Симуляция" and button.get_attribute("aria-pressed") == "false"
    button.click()
    page.wait_for_selector("#bpmn-canvas .simulation")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate("window.dealflowModeler.get('toggleMode')._active") is True
    assert page.locator(".djs-palette.hidden").count() == 1  # no drawing while tokens play
    # Each plain start event offers to start a token; playing one runs it to the routing gateway.
    play = page.locator(".djs-overlays[data-container-id='start'] .bts-context-pad")
    play.click()
    page.wait_for_selector(".djs-overlays[data-container-id='route'] .bts-context-pad")
    screenshot(page, "modeler-simulation")
    button.click()
    page.wait_for_selector("#bpmn-canvas .simulation", state="detached")
    assert button.get_attribute("aria-pressed") == "false" and page.locator(".djs-palette.hidden").count() == 0
