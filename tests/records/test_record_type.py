"""A third record type declared in a test alone: a support ticket with its own diagram and table.

Nothing outside this module knows tickets: the record mechanism
(processes.records) starts one, moves it with version checks, writes its
history, lets the worker's timer pass move it, records a failing script as
stuck and retries it, and counts it on a dashboard.
"""
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase

from engine import clock, definitions
from engine.clock import utcnow
from engine.db import db
from mail import jobs
from processes.errors import CannotProceed, Conflict, Forbidden, ProcessFailed
from processes.records import RecordType, dashboard, failures, history, moves
from tasks import records

DATA = Path(__file__).resolve().parent / "data"


class Base(DeclarativeBase):
    # Not the app's metadata: tests/cli/test_migrations.py compares that one with the migrated schema.
    metadata = MetaData()


class Ticket(Base):
    __tablename__ = "test_tickets"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False, default="")
    status = Column(String(50), nullable=False)
    workflow_id = Column(Integer, nullable=False, unique=True)
    version = Column(Integer, nullable=False, default=1)


class TicketHistory(Base):
    __tablename__ = "test_ticket_history"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    user_id = Column(Integer, nullable=True)
    kind = Column(String(20), nullable=False)
    from_status = Column(String(50), nullable=True)
    to_status = Column(String(50), nullable=True)
    comment = Column(Text, nullable=False, default="")


TICKET = RecordType(
    name="ticket", process_id="ticket", model=Ticket, history=TicketHistory, owner="ticket_id",
    lanes={"support": ("manager", "admin")},
    stuck_fields=lambda ticket: {"id": ticket.id, "title": ticket.title},
    retried_fields=lambda ticket, definition: {"ticket_id": ticket.id, "status": ticket.status},
)


@pytest.fixture
def tickets(ctx, people, monkeypatch):
    """The ticket tables on the test's database, the ticket diagram deployed, tickets among the record types."""
    Base.metadata.create_all(db.engine)
    definitions.deploy((DATA / "ticket.bpmn").read_bytes(), "test")
    db.session.commit()
    monkeypatch.setattr(records, "RECORD_TYPES", (*records.RECORD_TYPES, TICKET))
    yield
    db.session.rollback()
    Base.metadata.drop_all(db.engine)


def entries(ticket):
    return [(e.kind, e.from_status, e.to_status) for e in history.entries(TICKET, ticket)]


def test_a_ticket_moves_is_moved_by_a_timer_fails_and_is_retried(tickets, people):
    manager, director, analyst = people["manager"], people["director"], people["analyst"]
    due = (clock.now() - timedelta(days=1)).isoformat() + "+00:00"
    with clock.shifted(timedelta(days=-2)):  # the timer is set two days ago and due yesterday
        ticket = moves.create(TICKET, manager, {"title": "Printer"}, "open", {"due_at": due})
        assert (ticket.status, ticket.version) == ("open", 1)
        assert TICKET.current_model().allowed("open") == ["inProgress", "closed"]
        moves.move(TICKET, ticket, "inProgress", manager, expected_version=1)
        db.session.commit()
    assert (ticket.status, ticket.version) == ("inProgress", 2)

    with pytest.raises(Conflict):
        moves.move(TICKET, ticket, "open", manager, expected_version=1)  # read before the last move
    with pytest.raises(Forbidden):
        moves.move(TICKET, ticket, "open", director)  # the support lane is for managers and admins

    assert jobs.fire_due_timers(lambda line: None) == 1
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == "escalated"
    assert history.entries(TICKET, ticket)[-1].comment == "Too long in progress"

    with pytest.raises(ProcessFailed):
        moves.move(TICKET, ticket, "closed", manager, expected_version=ticket.version)  # the check needs `weight`
    db.session.commit()  # a failure is kept, as the edges do
    assert ticket.status == "escalated"
    [stuck] = failures.stuck(TICKET)
    assert (stuck.id, stuck.title, stuck.node_id, stuck.status_label) == (ticket.id, "Printer", "check", "Escalated")
    assert "weight" in stuck.reason and failures.failure_of(TICKET, ticket)[0] == "Check the answer"
    with pytest.raises(CannotProceed, match="ticket .* is stuck"):
        moves.move(TICKET, ticket, "open", manager)
    with pytest.raises(Forbidden):
        failures.retry(TICKET, ticket.id, manager)  # analysts and admins retry

    result = failures.retry(TICKET, ticket.id, analyst, {**stuck.data, "weight": 4})
    db.session.commit()
    assert result.as_dict() == {"ticket_id": ticket.id, "status": "closed", "proceeded": True, "reason": "",
                                "process_id": "ticket", "version": 1}
    assert entries(ticket) == [("created", None, "open"), ("move", "open", "inProgress"),
                               ("timer", "inProgress", "escalated"), ("error", "escalated", None),
                               ("retry", "escalated", "closed")]
    figures = dashboard.dashboard(TICKET, TICKET.current_definition())
    assert {n["status"]: n["count"] for n in figures["nodes"]} == {"open": 0, "inProgress": 0, "escalated": 0,
                                                                   "closed": 1}
    assert figures["stuck"] == [] and failures.stuck(TICKET) == []
