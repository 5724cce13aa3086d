"""Helpers of the board tests: a deal left idle for some days, a diagram with other properties, SQL counted."""
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, update

from engine.clock import utcnow
from engine.db import db
from processes import deals
from processes.deploy import deploy_source
from processes.models import Deal, DealHistory
from tests.conftest import BPMN_DIR


def idle_for(app, number, days):
    """Make a deal look untouched for ``days`` days: its status change and every history entry moved back."""
    with app.app_context():
        deal = deals.get_deal(number)
        back = timedelta(days=days)
        db.session.execute(update(Deal).where(Deal.id == deal.id).values(status_changed_at=deal.status_changed_at - back))
        for entry in deals.history(deal):
            db.session.execute(update(DealHistory).where(DealHistory.id == entry.id).values(at=entry.at - back))
        db.session.commit()


def deploy_with(app, code, **properties):
    """Deploy a new version of the shipped deal diagram whose status ``code`` carries ``properties``."""
    source = (BPMN_DIR / "deal.bpmn").read_text(encoding="utf-8")
    anchor = f'<spiffworkflow:property name="status" value="{code}" />'
    for name in properties:  # drop what the shipped diagram already says
        start = source.find(f'<spiffworkflow:property name="{name}" value=', source.index(anchor))
        end_of_node = source.index("</spiffworkflow:properties>", source.index(anchor))
        if 0 <= start < end_of_node:
            source = source[:start] + source[source.index("/>", start) + 2:]
    extra = "".join(f'<spiffworkflow:property name="{k}" value="{v}" />' for k, v in properties.items())
    source = source.replace(anchor, anchor + extra)
    with app.app_context():
        deploy_source(source.encode("utf-8"), "test")
        db.session.commit()


@contextmanager
def counted_sql(app):
    """Count the SQL statements the app runs inside the block: ``with counted_sql(app) as count: … count[0]``."""
    with app.app_context():
        engine = db.engine
    found = [0]

    def count(*_args):
        found[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", count)


__all__ = ["idle_for", "deploy_with", "counted_sql", "utcnow"]
