"""The deal's whole timeline: processes.timeline's sources plus the deal's assignments and their verdicts."""
from dataclasses import dataclass

from sqlalchemy import select

from engine.db import db
from processes import timeline
from processes.access import require_can_see
from processes.fields import utc_text
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
PER_PAGE, MAX_PER_PAGE = timeline.PER_PAGE, timeline.MAX_PER_PAGE


def page(deal, user, page_number=1, per_page=PER_PAGE):
    """A page of the deal's timeline as ``user`` sees it (anyone who sees the deal): (entries, has_more)."""
    require_can_see(user, deal)
    return timeline.page(deal, page_number, per_page, SOURCES)


def _user(user):
    return user.username if user is not None else None


def entry_dict(entry):
    """One timeline entry as the API gives it: kind, at, who, and the fields of its kind."""
    item, body = entry.item, {"kind": entry.kind, "at": utc_text(entry.at)}
    if entry.kind == "status":
        body.update(user=_user(item.user), event=item.kind, text=item.comment, **{"from": item.from_status},
                    to=item.to_status)
    elif entry.kind == "note":
        body.update(id=item.id, user=_user(item.author), text=item.text, edited_at=utc_text(item.edited_at))
    elif entry.kind == "letter_in":
        body.update(id=item.id, user=None, subject=item.subject, **{"from": item.from_email})
    elif entry.kind == "letter_out":
        body.update(user=None, subject=item.subject, to=item.to_email)
    elif entry.kind == "activity":
        body.update(id=item.activity_id, user=_user(item.user), event=item.kind, summary=item.activity.summary,
                    activity_kind=item.activity.kind, due_at=utc_text(item.due_at), text=item.comment)
    elif entry.kind == "assignment":
        event = item.event
        body.update(id=item.assignment.id, user=_user(event.user), event=event.kind, title=item.assignment.title,
                    verdict=event.verdict, text=event.comment)
    return body
