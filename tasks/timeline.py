"""The deal's whole timeline: processes.timeline's sources plus the deal's assignments and their verdicts."""
from dataclasses import dataclass

from sqlalchemy import select

from engine.db import db
from processes import timeline
from processes.access import require_can_see
from tasks.assignment_models import Assignment, AssignmentEvent


@dataclass
class AssignmentStep:
    """An assignment event with its assignment (created, a verdict, overdue, archived)."""
    event: AssignmentEvent
    assignment: Assignment


def _assignment_steps(ids):
    rows = db.session.execute(select(AssignmentEvent, Assignment)
                              .join(Assignment, Assignment.id == AssignmentEvent.assignment_id)
                              .where(AssignmentEvent.id.in_(list(ids)))).all()
    return {event.id: AssignmentStep(event, assignment) for event, assignment in rows}


ASSIGNMENTS = timeline.Source(
    "assignment",
    lambda deal: select(*timeline.entry_columns("assignment", AssignmentEvent.at, AssignmentEvent.id))
    .join(Assignment, Assignment.id == AssignmentEvent.assignment_id).where(Assignment.deal_id == deal.id),
    _assignment_steps)
SOURCES = timeline.SOURCES + (ASSIGNMENTS,)


def page(deal, user, page_number=1, per_page=timeline.PER_PAGE):
    """A page of the deal's timeline as ``user`` sees it (anyone who sees the deal): (entries, has_more)."""
    require_can_see(user, deal)
    return timeline.page(deal, page_number, per_page, SOURCES)
