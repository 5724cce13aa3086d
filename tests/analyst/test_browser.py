"""In Chromium: an analyst adds «Тендер» in the modeler, validates, deploys and migrates; the viewer highlights nodes."""
import pytest

from engine.db import db
from processes import deals, moves, statuses, users
from processes.errors import InvalidTransition
from tests.analyst import diagrams
from tests.web.conftest import screenshot

CURRENT = "g.djs-element.bpmn-current"


def open_modeler(page, version=1):
    page.sign_in("analyst")
    page.goto(f"{page.base}/processes/deal/v{version}")
    page.wait_for_selector("#bpmn-canvas[data-ready='1']")


def modeler_has(page, script):
    """Evaluate a predicate on the modeler until it holds (the panel's inputs are debounced)."""
    page.wait_for_function(f"() => {{ const m = window.dealflowModeler; const r = m.get('elementRegistry'); "
                           f"return {script}; }}")


def panel(page, entry, value):
    group = page.locator(f"[data-entry-id='{entry}']").locator("xpath=ancestor::*[@data-group-id][1]")
    if not group.locator(".bio-properties-panel-group-entries.open").count():
        group.locator(".bio-properties-panel-group-header").click()
    field = page.locator(f"#bio-properties-panel-{entry}")
    field.fill(value)
    field.press("Tab")


def select(page, element_id):
    page.evaluate(f"window.dealflowModeler.get('selection').select("
                  f"window.dealflowModeler.get('elementRegistry').get('{element_id}'))")


def make_deal(app, company, status):
    with app.app_context():
        deal = deals.create_deal({"company": company}, users.get_by_username("manager"), status=status)
        db.session.commit()
        return deal.number


def move(app, number, status):
    with app.app_context():
        deal = moves.move_deal(deals.get_deal(number), status, users.get_by_username("manager"))
        db.session.commit()
        return deal.workflow.definition.version


def test_analyst_adds_tender_and_deploys(browser_page, app):
    page = browser_page
    old = make_deal(app, "ООО «До тендера»", "offerPreparation")
    open_modeler(page)
    # Draw a user task in the manager's lane between «Подготовка КП» and «Прототип» and name it in the panel.
    page.evaluate("""() => {
      const m = window.dealflowModeler, r = m.get('elementRegistry');
      const task = m.get('modeling').createShape({type: 'bpmn:UserTask'}, {x: 1025, y: 290}, r.get('Participant_deal'));
      m.get('selection').select(task);
    }""")
    panel(page, "id", "tender")
    modeler_has(page, "!!r.get('tender')")
    panel(page, "name", "Тендер")
    panel(page, "dealflow-status", "tender")
    modeler_has(page, "JSON.stringify(r.get('tender').businessObject.extensionElements || {}).includes('tender')")
    page.click("#bpmn-validate")
    # Not yet wired and without a stage: refused, and the task is highlighted with the reasons.
    page.wait_for_selector("g.djs-element.bpmn-error[data-element-id='tender']")
    problems = page.locator("#bpmn-problems li[data-element='tender']").all_inner_texts()
    assert any("no stage" in p for p in problems) and any("cannot reach an end" in p for p in problems)
    screenshot(page, "modeler-errors")

    panel(page, "dealflow-stage", "40% Развитие")
    flow = page.evaluate("""() => {
      const m = window.dealflowModeler, r = m.get('elementRegistry'), modeling = m.get('modeling');
      modeling.connect(r.get('tender'), r.get('route'));
      return modeling.connect(r.get('route'), r.get('tender')).id;
    }""")
    select(page, flow)
    panel(page, "dealflow-condition", "next_status == 'tender'")
    modeler_has(page, f"!!r.get('{flow}').businessObject.conditionExpression")
    page.click("#bpmn-validate")
    page.wait_for_selector("#bpmn-status.ok")
    assert page.locator("g.djs-element.bpmn-error").count() == 0
    page.click("#bpmn-deploy")
    page.wait_for_selector("#bpmn-status.deployed")
    assert page.inner_text("#bpmn-status").endswith(" 2")
    screenshot(page, "modeler-deployed")

    # The board has the new column, between «Подготовка КП» and «Прототип».
    page.goto(f"{page.base}/v2/journals?journalId=deals-journal&viewMode=kanban")
    columns = page.locator(".kcolumn").evaluate_all("els => els.map(e => e.dataset.status)")
    assert columns.index("offerPreparation") < columns.index("tender") < columns.index("prototype")
    assert page.locator(".kcolumn[data-status='tender'] .kcolumn-title").inner_text() == "Тендер"
    new = make_deal(app, "ООО «Тендерная»", "offerPreparation")
    assert move(app, new, "tender") == 2
    with pytest.raises(InvalidTransition):
        move(app, old, "tender")  # the old deal still runs on version 1

    page.goto(f"{page.base}/processes/")
    page.select_option("#process-deal select[name=to_version]", "2")
    page.click("#process-deal button[name=run][value='0']")
    assert page.locator("#migration-result tr.ok").count() == 1  # «будет переведена»
    assert page.locator("#migration-result tr.refused").count() == 0
    page.select_option("#process-deal select[name=to_version]", "2")
    page.click("#process-deal button[name=run][value='1']")
    page.wait_for_selector("#migration-result")
    assert move(app, old, "tender") == 2
    with app.app_context():
        assert [s.code for s in statuses.current_model().board].count("tender") == 1


def test_upload_a_camunda_diagram_and_validate(browser_page, tmp_path):
    page = browser_page
    path = tmp_path / "deal_camunda.bpmn"
    path.write_bytes(diagrams.camunda_tender())
    open_modeler(page)
    page.set_input_files("#bpmn-upload", str(path))
    modeler_has(page, "!!r.get('tender')")
    select(page, "tender")
    assert page.input_value("#bio-properties-panel-dealflow-status") == "tender"
    page.click("#bpmn-validate")
    page.wait_for_selector("#bpmn-status.ok")


def test_viewer_highlights_the_current_node(browser_page, app):
    page = browser_page
    numbers = {status: make_deal(app, f"ООО «{status}»", status)
               for status in ("new", "presentation", "decision", "refusal")}
    numbers["completed"] = make_deal(app, "ООО «Победа»", "decision")
    with app.app_context():
        moves.move_deal(deals.get_deal(numbers["completed"]), "completed", users.get_by_username("director"))
        db.session.commit()
    page.sign_in("manager")
    for status, number in numbers.items():
        page.goto(f"{page.base}/processes/deal/{number}/diagram")
        page.wait_for_selector("#deal-diagram[data-ready='1']")
        highlighted = page.locator(CURRENT).evaluate_all("els => els.map(e => e.dataset.elementId)")
        assert highlighted == [status], (status, highlighted)
    screenshot(page, "deal-diagram")
