"""Reading assignments: the journal with its filters, a deal's list, and plain dicts for the faces."""
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from engine.db import db
from processes.errors import ValidationError
from processes.fields import utc_text
from processes.records.listing import PER_PAGE, QueryArgs, page_bounds, page_of
from tasks import assignment_flow as flow
from tasks.assignment_models import Assignment

SCOPES = ("all", "mine", "created")
MOST_PER_PAGE = 200


@dataclass
class Filters:
    scope: str = "all"          # all, mine (I perform or verify), created (I gave it)
    overdue: bool = False
    statuses: list = field(default_factory=list)
    deal: int | None = None
    include_archive: bool = False
    page: int = 1
    per_page: int = 50


def parse_filters(args):
    """Filters from query-string lists (``{"status": ["new", "inWork"], ...}``)."""
    args = QueryArgs(args)
    errors = {}
    scope = args.one("scope") or "all"
    if scope not in SCOPES:
        errors["scope"] = f"one of: {', '.join(SCOPES)}"
    statuses = args.many("status")
    numbers = args.integers((("deal", None), ("page", 1), ("per_page", PER_PAGE)), errors)
    if errors:
        raise ValidationError(errors)
    page, per_page = page_bounds(numbers["page"], numbers["per_page"], MOST_PER_PAGE)
    return Filters(scope, args.flag("overdue"), statuses, numbers["deal"],
                   args.flag("archive") or "archived" in statuses, page, per_page)


def search(filters, user):
    """(assignments of a page, total) matching the filters, soonest due first."""
    query = select(Assignment)
    if filters.scope == "mine":
        query = query.where(or_(Assignment.performer_id == user.id, Assignment.verifier_id == user.id))
    elif filters.scope == "created":
        query = query.where(Assignment.initiator_id == user.id)
    if filters.overdue:
        query = query.where(Assignment.overdue.is_(True))
    if filters.statuses:
        query = query.where(Assignment.status.in_(filters.statuses))
    elif not filters.include_archive:
        query = query.where(Assignment.status != "archived")
    if filters.deal is not None:
        from processes.models import Deal
        query = query.join(Deal, Deal.id == Assignment.deal_id).where(Deal.number == filters.deal)
    return page_of(query.options(*_eager()), (Assignment.due_at, Assignment.id), filters.page, filters.per_page)


def labels(assignment):
    """(status labels, verdict labels) by code, of the diagram version the assignment runs: for its history."""
    model = flow.model_for(assignment.workflow.definition)
    return model.labels, {v.code: v.label for verdicts in model.verdicts.values() for v in verdicts}


def status_labels():
    """(code, label) of the deployed assignment diagram's statuses, for the journal's status filter."""
    return list(flow.model_for(flow.current_definition()).labels.items())


def of_deal(deal):
    """Every assignment of a deal, newest first (the card's list)."""
    return db.session.scalars(select(Assignment).options(*_eager()).where(Assignment.deal_id == deal.id)
                              .order_by(Assignment.id.desc())).all()


def _eager():
    return (joinedload(Assignment.deal), joinedload(Assignment.performer), joinedload(Assignment.verifier),
            joinedload(Assignment.initiator))


def _when(value):
    return utc_text(value)


def status_label(assignment):
    return flow.model_for(assignment.workflow.definition).labels.get(assignment.status, assignment.status)


def assignment_dict(assignment, task=None, verdicts=None):
    """An assignment as plain data; with its open task and that task's verdicts when given."""
    a = assignment
    body = {"id": a.id, "title": a.title, "description": a.description, "priority": a.priority,
            "status": a.status, "status_label": status_label(a), "overdue": a.overdue,
            "due_at": _when(a.due_at), "created_at": _when(a.created_at), "completed_at": _when(a.completed_at),
            "archived_at": _when(a.archived_at), "version": a.version,
            "deal": {"number": a.deal.number, "name": a.deal.name},
            "performer": a.performer.username, "verifier": a.verifier.username if a.verifier else None,
            "initiator": a.initiator.username}
    if task is not None:
        body["task"] = {"id": task.id, "node_id": task.node_id, "name": task.name,
                        "verdicts": [{"code": v.code, "label": v.label, "comment_required": v.comment_required}
                                     for v in (verdicts or [])]}
    return body


def event_dict(event):
    return {"at": _when(event.at), "user": event.user.username if event.user else None, "kind": event.kind,
            "verdict": event.verdict, "from_status": event.from_status, "to_status": event.to_status,
            "comment": event.comment}
