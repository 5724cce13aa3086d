"""A script an analyst adds after the assignment's due-date timer breaks: the assignment waits for a retry.

The worker fires the timer once; the firing is kept (the assignment is marked
overdue) with the instance in error, instead of being rolled back and failing
again on every pass. The performer sees why verdicts wait; an analyst retries
with corrected data from the assignment process's dashboard.
"""
import html
from datetime import timedelta

from lxml import etree

from engine import clock
from tests.analyst.test_versions import deploy
from tests.assignments.test_timers import overdue_events, yesterday
from tests.conftest import BPMN_DIR, bearer
from tests.hostile import BPMN, add_script_task
from tests.web.conftest import login

DAYS_AGO = timedelta(days=-2)


def with_script_after_overdue(script):
    """assignment.bpmn with a script task «Отметка в CRM» between the overdue timer and its end."""
    root = etree.fromstring((BPMN_DIR / "assignment.bpmn").read_bytes())
    process = root.find(f"{{{BPMN}}}process")
    process.find(f"{{{BPMN}}}sequenceFlow[@id='Flow_overdue_end']").set("targetRef", "mark")
    end = process.find(f"{{{BPMN}}}endEvent[@id='overdue_end']")
    end.find(f"{{{BPMN}}}incoming").text = "Flow_mark_end"
    add_script_task(process, "mark", "Отметка в CRM", "Flow_overdue_end", "Flow_mark_end", "overdue_end", script,
                    lane=None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def events(api, assignment_id, kind):
    return [e for e in api.read(assignment_id)["events"] if e["kind"] == kind]


def test_a_script_failing_after_the_due_date_timer_waits_for_an_analysts_retry(app, client, tokens, api, deal,
                                                                                dealflow):
    assert deploy(client, tokens["analyst"], with_script_after_overdue("marked = reason.upper()")) == 2
    with clock.shifted(DAYS_AGO):
        a = api.create(deal, due_at=yesterday()).json

    first = dealflow("worker", "--once").output
    assert "a task after it failed" in first and "name 'reason' is not defined" in first, first
    after = api.read(a["id"])
    assert after["overdue"] is True and len(overdue_events(after)) == 1  # what the timer did is kept
    [error] = events(api, a["id"], "error")
    assert "reason" in error["comment"]
    assert "timer overdue" not in dealflow("worker", "--once").output  # waits, not failing on every pass
    assert len(events(api, a["id"], "error")) == 1

    refused = api.verdict(a["id"], "take", "manager2")  # the performer cannot act while it is stuck
    assert refused.status_code == 409 and "stuck" in refused.json["message"], refused.json
    performer = login(app.test_client(), "manager2")
    page = html.unescape(performer.get(f"/assignments/{a['id']}").get_data(as_text=True))
    assert 'id="assignment-stuck"' in page and "Отметка в CRM" in page and 'id="verdict-form"' not in page

    stuck = client.get("/api/v1/processes/assignment/stuck", headers=bearer(tokens["analyst"])).json
    assert [(s["id"], s["node_id"]) for s in stuck["assignments"]] == [(a["id"], "mark")]
    analyst = login(app.test_client(), "analyst")
    dashboard = html.unescape(analyst.get("/processes/assignment/v2/dashboard").get_data(as_text=True))
    assert f'data-assignment="{a["id"]}" data-node="mark"' in dashboard

    retry = f"/api/v1/assignments/{a['id']}/retry"
    assert client.post(retry, json={}, headers=bearer(tokens["manager"])).status_code == 403  # analysts only
    again = client.post(retry, json={}, headers=bearer(tokens["analyst"])).json  # same data: fails again
    assert again["proceeded"] is False and "reason" in again["reason"]
    r = analyst.post(f"/processes/assignment/{a['id']}/retry", data={"data": '{"reason": "срок"}'})
    assert r.status_code == 302, r.get_data(as_text=True)
    assert client.get("/api/v1/processes/assignment/stuck", headers=bearer(tokens["analyst"])).json[
        "assignments"] == []
    assert api.verdict(a["id"], "take", "manager2").status_code == 200  # the work goes on
    assert api.read(a["id"])["status"] == "inWork" and len(overdue_events(api.read(a["id"]))) == 1
