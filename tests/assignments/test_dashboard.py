"""The assignment process's dashboard: assignments per status now, the median stay, on the diagram's nodes."""
import json
import re
from datetime import timedelta

from sqlalchemy import update

from engine import clock
from engine.db import db
from tasks.assignment_models import AssignmentEvent
from tests.web.conftest import login


def dashboard_nodes(app):
    page = login(app.test_client(), "analyst").get("/processes/assignment/v1/dashboard").get_data(as_text=True)
    data = json.loads(re.search(r'id="dashboard-data">(.*?)</script>', page, re.S).group(1))
    return page, {n["status"]: n for n in data["nodes"]}


def test_the_dashboard_counts_assignments_per_status_and_their_median_stay(app, api, deal):
    with clock.shifted(timedelta(days=-2)):
        taken = api.create(deal, title="Взятое").json
    db.session.execute(update(AssignmentEvent).where(AssignmentEvent.assignment_id == taken["id"])
                       .values(at=clock.now() - timedelta(days=2)))  # history written two days ago
    db.session.commit()
    assert api.verdict(taken["id"], "take", "manager2").status_code == 200  # two days in «Новое», now «В работе»
    api.create(deal, title="Свежее")

    page, nodes = dashboard_nodes(app)
    assert "Поручений сейчас" in page and "Сделок сейчас" not in page
    assert (nodes["new"]["count"], nodes["inWork"]["count"], nodes["done"]["count"]) == (1, 1, 0)
    assert (nodes["new"]["node_id"], nodes["inWork"]["node_id"]) == ("new", "inWork")  # drawn on these nodes
    assert abs(nodes["new"]["median_seconds"] - 2 * 86400) < 600
    assert nodes["inWork"]["median_seconds"] is None  # nobody has left it yet
    assert re.search(r'<tr data-node="new"><td>Новое</td><td class="count">1</td>', page)
