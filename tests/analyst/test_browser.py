"""In Chromium: an analyst adds «Тендер» in the modeler, validates, deploys and migrates; the viewer highlights nodes."""
import pytest

from engine.db import db
from processes import deals, moves, statuses, users
from processes.deploy import deploy_source
from processes.errors import InvalidTransition, ProcessFailed
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
    # The panel and the palette speak the page's language.
    labels = page.locator("#bpmn-properties .bio-properties-panel-group-header-title").all_inner_texts()
    assert "Общие" in labels and "dealflow" in labels, labels
    assert page.locator("label[for='bio-properties-panel-dealflow-status']").inner_text() == "Код статуса · status"
    assert page.get_attribute(".djs-palette [data-action='create.task']", "aria-label") == "Задача"
    page.click("#bpmn-validate")
    # Not yet wired and without a stage: refused, and the task is highlighted with the reasons.
    page.wait_for_selector("g.djs-element.bpmn-error[data-element-id='tender']")
    problems = page.locator("#bpmn-problems li[data-element='tender']").all_inner_texts()
    assert any("нет свойства stage" in p for p in problems) and any("нельзя дойти до конечного" in p for p in problems)
    screenshot(page, "modeler-errors")

    panel(page, "dealflow-stage", "40% Развитие")
    panel(page, "dealflow-label-en", "Tender")  # what the English UI calls it
    assert page.locator("label[for='bio-properties-panel-dealflow-label-en']").inner_text() == \
        "Название по-английски · label.en"
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
    # the deploy says what it changes before it happens, and waits for a confirmation
    page.wait_for_selector("#deploy-confirm[open] .diff-added")
    assert "«Тендер» (tender) добавлен" in page.inner_text("#deploy-diff")
    assert page.locator("#bpmn-status.deployed").count() == 0
    page.click("#deploy-confirm-yes")
    page.wait_for_selector("#bpmn-status.deployed")
    assert page.inner_text("#bpmn-status").endswith(" 2")
    screenshot(page, "modeler-deployed")

    # The board has the new column, between «Подготовка КП» and «Прототип».
    page.goto(f"{page.base}/v2/journals?journalId=deals-journal&viewMode=kanban")
    columns = page.locator(".kcolumn").evaluate_all("els => els.map(e => e.dataset.status)")
    assert columns.index("offerPreparation") < columns.index("tender") < columns.index("prototype")
    assert page.locator(".kcolumn[data-status='tender'] .kcolumn-title").inner_text() == "Тендер"
    page.goto(f"{page.base}/lang/en?next=/v2/journals?journalId=deals-journal%26viewMode=kanban")
    assert page.locator(".kcolumn[data-status='tender'] .kcolumn-title").inner_text() == "Tender"
    assert page.locator(".kcolumn[data-status='tender'] .kcolumn-stage").inner_text() == "40% Development"
    page.goto(f"{page.base}/lang/ru?next=/tasks")
    new = make_deal(app, "ООО «Тендерная»", "offerPreparation")
    assert move(app, new, "tender") == 2
    with pytest.raises(InvalidTransition):
        move(app, old, "tender")  # the old deal still runs on version 1

    page.goto(f"{page.base}/processes/")
    page.select_option("#process-deal select[name=to_version]", "2")
    page.click("#migrate-dry-run")
    assert page.locator("#migration-result tr.ok").count() == 1  # «будет переведена»
    assert page.locator("#migration-result tr.refused").count() == 0
    # «Перевести» needs the confirmation ticked: without it the browser sends nothing.
    page.click("#migration-run")
    assert page.evaluate("document.getElementById('migration-confirm').validity.valueMissing")
    with pytest.raises(InvalidTransition):
        move(app, old, "tender")
    page.check("#migration-confirm")
    page.click("#migration-run")
    page.wait_for_selector(".migration-batches tr[data-batch]")
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


def marked(page, marker):
    """Ids of the diagram elements (shapes and flows) carrying a marker class."""
    return page.locator(f"g.djs-element.{marker}").evaluate_all("els => els.map(e => e.dataset.elementId)")


def badges(page, node_id, kind="time"):
    return page.locator(f".djs-overlays[data-container-id='{node_id}'] .bpmn-badge.{kind}").all_inner_texts()


def walk(app, company, goal, days_per_stay=0):
    """A deal created in «Не обработана» and moved along the diagram to ``goal``; stays backdated by days."""
    from datetime import timedelta

    from engine.clock import utcnow
    from processes.models import DealHistory
    from tests.paths import actor_for, shortest_path
    with app.app_context():
        model = statuses.current_model()
        deal = deals.create_deal({"company": company}, users.get_by_username("manager"), status="new")
        for status in shortest_path(model.moves, "new", goal)[1:]:
            who = actor_for(model.get(deal.status).lane)
            moves.move_deal(deal, status, users.get_by_username(who), comment="Причина")
        entries = deals.history(deal)
        for back, entry in enumerate(reversed(entries)):
            entry.at = utcnow() - timedelta(days=days_per_stay * back, minutes=5)
        db.session.commit()
        return deal.number, [model.get(e.to_status).node_id for e in entries]


def test_viewer_highlights_every_status_with_its_path_and_times(browser_page, app):
    """For a deal in each of the diagram's statuses: the current node, the way there and the days in each node."""
    with app.app_context():
        codes = [s.code for s in statuses.current_model().statuses]
    assert len(codes) == 11 and {"old", "pause", "refusal", "completed"} <= set(codes)
    walked = {code: walk(app, f"ООО «{code}»", code, days_per_stay=2) for code in codes}
    page = browser_page
    page.sign_in("manager")
    for code, (number, path) in walked.items():
        page.goto(f"{page.base}/processes/deal/{number}/diagram")
        page.wait_for_selector("#deal-diagram[data-ready='1']")
        assert marked(page, "bpmn-current") == [path[-1]], code
        data = page.evaluate(f"async () => (await fetch('/processes/deal/{number}/diagram.json')).json()")
        assert data["path"] == path and data["current"] == path[-1], code
        # The way taken: every status, start event, gateway and flow on it, and nothing else.
        visited = set(marked(page, "bpmn-visited"))
        assert visited == set(data["visited"]) | set(data["flows"]), code
        assert {"start", *path} <= visited and "Flow_start_route" in visited, code
        for a, b in zip(path, path[1:]):
            assert f"Flow_{a}_route" in visited or f"Flow_{a}_decide" in visited, (code, a)
            assert f"Flow_route_{b}" in visited or f"Flow_decide_{b}" in visited, (code, b)
        assert not visited & {"Flow_start_mail_new", "start_mail"}, code
        # The time in each status: two days in each one it left, minutes in the current one.
        for node in path[:-1]:
            assert badges(page, node) == ["2,0 дн."], (code, node)  # as Russian writes it
        assert badges(page, path[-1]) == ["0,1 ч"], code
    screenshot(page, "deal-diagram")
    # The deal card embeds the same viewer.
    number, path = walked["decision"]
    page.goto(f"{page.base}/deals/{number}")
    page.wait_for_selector("#deal-diagram[data-ready='1']")
    assert marked(page, "bpmn-current") == ["decision"]
    screenshot(page, "deal-card-diagram")


def test_stuck_deal_on_the_dashboard_retried_with_corrected_data(browser_page, app):
    with app.app_context():
        deploy_source(diagrams.with_failing_script(), "analyst")
        db.session.commit()
    number = make_deal(app, "ООО «Оценка»", "firstContact")
    with app.app_context():
        with pytest.raises(ProcessFailed):
            moves.move_deal(deals.get_deal(number), "presentation", users.get_by_username("manager"))
        db.session.commit()  # what a web or CLI edge does with this error: keep the failure
    page = browser_page
    page.sign_in("analyst")
    page.goto(f"{page.base}/processes/deal/v2/dashboard")
    page.wait_for_selector("#dashboard-diagram[data-ready='1']")
    assert marked(page, "bpmn-failed") == ["scoring"] and badges(page, "scoring", "failed") == ["⚠ 1"]
    item = page.locator(f"#stuck-deals li[data-number='{number}']")
    assert "name 'weight' is not defined" in item.inner_text()
    screenshot(page, "dashboard-stuck")
    item.locator("summary").click()
    data = item.locator("textarea[name=data]")
    data.fill(data.input_value().rstrip().rstrip("}") + ', "weight": 4}')
    item.locator("button[type=submit]").click()
    page.wait_for_selector("#no-stuck")
    assert "Презентация" in page.locator(".flash").inner_text()
    page.goto(f"{page.base}/deals/{number}")
    assert page.inner_text("#deal-status") == "Презентация"
