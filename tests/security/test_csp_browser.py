"""In Chromium with the Content-Security-Policy on: every area works and the browser reports no violation.

bpmn-js (modeler and viewers), SortableJS (a kanban drag) and the app's own scripts must all run from
the app's files alone. And the issue's attack — an admin opening a diagram's source — runs nothing.
"""
import pytest

from engine.db import db
from engine.models import ProcessDefinition
from engine.parsing import source_hash
from tests.security import foreign_markup
from tests.web.conftest import as_user, browser_page, csrf_app, drag, live_server, staff  # noqa: F401
from tests.web.helpers import make_deal

pytestmark = pytest.mark.browser

# Violations reach the page as events (before any of its own scripts run) and Chromium logs them.
WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push([e.violatedDirective, e.blockedURI,
  e.sample, e.sourceFile + ':' + e.lineNumber, (e.target && e.target.outerHTML || '').slice(0, 200)].join(' ')));"""


@pytest.fixture
def watched(browser_page):  # noqa: F811
    page = browser_page
    page.context.add_init_script(WATCH)
    logged = []
    page.on("console", lambda m: logged.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: logged.append(f"page error: {e}"))

    def clean(where):
        reported = page.evaluate("window.__csp || []")
        assert not reported and not logged, (where, reported)

    page.clean = clean
    return page


def _visit(page, path, ready=None):
    response = page.goto(f"{page.base}{path}")
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
    if ready:
        page.wait_for_selector(ready)
    page.clean(path)


def _rendered(page, container):
    page.wait_for_selector(f"{container}[data-ready='1'] svg g.djs-element[data-element-id='new']")


def test_every_area_runs_under_the_policy(watched, app):
    page = watched
    number = make_deal(app, company="ООО «Политика»")

    page.sign_in("manager")
    page.clean("login")
    _visit(page, "/v2/journals?journalId=deals-journal", "#journal")
    _visit(page, "/v2/journals?journalId=deals-journal&viewMode=kanban", "#board")
    drag(page, f'.kcard[data-number="{number}"]', '.kcolumn[data-status="firstContact"] .kscroll')
    page.wait_for_selector(f'.kcolumn[data-status="firstContact"] .kcard[data-number="{number}"]'
                           f'[data-status="firstContact"]')
    page.clean("kanban drag")
    page.click("#quick-create-button")
    page.wait_for_selector("#quick-create-submit")
    page.clean("quick create")
    _visit(page, f"/deals/{number}", "#deal-status")
    _rendered(page, "#deal-diagram")
    assert page.get_attribute("#deal-diagram", "data-current") == "firstContact"
    page.clean("deal card diagram")
    _visit(page, "/tasks", "#tasks")
    _visit(page, "/assignments")
    page.click("form[action='/logout'] button")

    page.sign_in("analyst")
    _visit(page, "/processes/", "#process-deal")
    _visit(page, "/processes/deal/v1", "#bpmn-canvas[data-ready='1']")
    _rendered(page, "#bpmn-canvas")
    page.evaluate("window.dealflowModeler.get('selection').select("
                  "window.dealflowModeler.get('elementRegistry').get('new'))")
    page.wait_for_selector("#bpmn-properties .bio-properties-panel-group-header")
    page.click("#bpmn-validate")
    page.wait_for_selector("#bpmn-status.ok")
    page.wait_for_selector(".bjsl-button.bjsl-button-success")  # the lint ran
    page.click("#bpmn-simulate")
    page.wait_for_selector("#bpmn-canvas .simulation")
    page.click("#bpmn-simulate")
    page.clean("modeler: panel, lint, validate and simulation")
    _visit(page, "/processes/deal/v1/dashboard")
    _rendered(page, "#dashboard-diagram")
    page.clean("dashboard")
    page.click("form[action='/logout'] button")

    page.sign_in("director")
    _visit(page, "/processes/deal/dashboard")
    _rendered(page, "#dashboard-diagram")
    page.clean("director's dashboard")
    page.click("form[action='/logout'] button")

    page.sign_in("admin")
    for path in ("/directories/counterparties", "/directories/sources", "/admin/mail", "/admin/smtp"):
        _visit(page, path, "main")


def _sources(app):
    from processes.models import Source
    with app.app_context():
        return sorted(s.name for s in db.session.query(Source))


def test_a_hostile_source_opened_by_an_admin_is_a_download_that_runs_nothing(watched, app):
    """The issue's attack on a diagram stored before deploys refused foreign markup."""
    page = watched
    source = foreign_markup.xhtml_script()
    with app.app_context():
        db.session.add(ProcessDefinition(process_id="evil", version=1, name="evil", source=source,
                                         hash=source_hash(source), deployed_by="old"))
        db.session.commit()
    before = _sources(app)
    page.sign_in("admin")
    with page.expect_download() as download:
        try:
            page.goto(f"{page.base}/processes/evil/v1.bpmn")
        except Exception as exc:  # Chromium aborts the navigation of a download
            assert "ERR_ABORTED" in str(exc) or "Download is starting" in str(exc), exc
    assert download.value.suggested_filename == "evil-v1.bpmn"
    page.goto(f"{page.base}/directories/sources")
    page.wait_for_timeout(500)
    assert _sources(app) == before and "pwned" not in before
