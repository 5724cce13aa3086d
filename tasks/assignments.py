"""Assignments («поручения») on deals: create, act on, react to timers, read.

Each assignment runs the ``assignment`` process. Every step is authorized
here: the ready task's owner (the user its ``owner`` property names in the
instance data) is the only one who acts on it. The assignment row mirrors
the workflow (status, overdue, dates) for lists and filters; the edge commits.
"""
from datetime import datetime, time, timezone


from engine import clock
from engine.db import db
from engine.instances import Instance
from processes import fields, users
from processes.access import require_can_see, require_role
from processes.errors import FilesRefused, Forbidden, InvalidTransition, ValidationError, conflict_if_stale
from processes.models import DEAL_ROLES
from processes.records import RecordType, failures, following, history, moves
from tasks import assignment_files
from tasks import assignment_flow as flow
from tasks import notices
from tasks.assignment_models import PRIORITIES, Assignment, AssignmentEvent

def create_assignment(deal, data, user, files=()):
    """Validate the form (``files``: ``assignment_files.Upload`` values), start the workflow, tell the performer."""
    require_role(user, *DEAL_ROLES)
    values = _clean(data, files)
    definition = flow.current_definition()
    start = {"performer": values["performer"].id, "initiator": user.id,
             "verifier": values["verifier"].id if values["verifier"] else None,
             "due_at": values["due_at"].replace(tzinfo=timezone.utc).isoformat(), "verdict": ""}
    instance = Instance.start(definition, start)
    assignment = Assignment(deal=deal, title=values["title"], description=values["description"],
                            priority=values["priority"], due_at=values["due_at"], performer=values["performer"],
                            verifier=values["verifier"], initiator=user, workflow_id=instance.id, status="")
    db.session.add(assignment)
    db.session.flush()
    assignment_files.attach(assignment, values["files"], user)
    db.session.add(AssignmentEvent(assignment_id=assignment.id, user_id=user.id, kind="created",
                                   to_status=flow.model_for(definition).status_of(instance)))
    _react(assignment, instance, instance.passed_since())
    notices.task_arrived(assignment, instance, actor=user)
    db.session.flush()
    return assignment


def _clean(data, files):
    errors, values, refused = {}, {}, None
    values["title"] = str(data.get("title") or "").strip()[:300]
    if not values["title"]:
        errors["title"] = "required"
    values["description"] = str(data.get("description") or "")
    for name in ("title", "description"):
        if fields.NUL in values[name]:
            errors[name] = fields.NO_NUL
    values["priority"] = str(data.get("priority") or "normal")
    if values["priority"] not in PRIORITIES:
        errors["priority"] = f"one of: {', '.join(PRIORITIES)}"
    for name, required in (("performer", True), ("verifier", False)):
        try:
            values[name] = _person(data.get(name) or data.get(f"{name}_id"), required)
        except ValueError as exc:
            errors[name] = str(exc)
    try:
        values["due_at"] = _due(data.get("due_at"))
    except ValueError as exc:
        errors["due_at"] = str(exc)
    try:
        values["files"] = assignment_files.check(files)
    except FilesRefused as exc:
        refused = exc
    if refused is not None:
        raise refused.joined(errors)
    if errors:
        raise ValidationError(errors)
    return values


def _person(value, required):
    if value in (None, ""):
        if required:
            raise ValueError("required")
        return None
    user = users.find_active(value)
    if user is None:
        raise ValueError(f"no active user {str(value).strip()}")
    return user


def _due(value):
    """A due time as naive UTC; a bare date means the end of that day, local time."""
    if value in (None, ""):
        raise ValueError("required")
    text = str(value).strip()
    if len(text) == 10:
        try:
            text = datetime.combine(datetime.fromisoformat(text).date(), time(23, 59, 59)).isoformat()
        except ValueError:
            pass
    due = fields.parse_datetime(text)
    if due <= clock.now():
        raise ValueError("the due date has already passed")
    return due


def get_assignment(assignment_id):
    return ASSIGNMENT.get(assignment_id)


def get_visible(assignment_id, user):
    """An assignment by id for a user who may see it (whoever may see its deal), else Forbidden."""
    assignment = get_assignment(assignment_id)
    require_can_see(user, assignment.deal)
    return assignment


def current_task(assignment, instance=None):
    """(instance, ready task) of an assignment; the task is None when nobody needs to act."""
    instance = instance or Instance.from_row(assignment.workflow)
    ready = instance.ready_tasks()
    return instance, (ready[0] if ready else None)


def decide(assignment, verdict, user, comment="", expected_version=None):
    """Give a verdict on the assignment's open task: only its owner may, and only a verdict the diagram has."""
    moves.check_version(ASSIGNMENT, assignment, expected_version)
    instance, task = current_task(assignment)
    if task is None:
        raise InvalidTransition(f"assignment {assignment.id} waits for nobody (status {assignment.status})")
    failures.refuse_if_stuck(ASSIGNMENT.subject(assignment), instance)  # a script after a timer broke
    if user is None or task.assignee != str(user.id):
        raise Forbidden(f"the task «{task.name}» of assignment {assignment.id} is someone else's")
    model = flow.model_for(instance.row.definition)
    choices = {v.code: v for v in model.verdicts.get(task.node_id, [])}
    if verdict not in choices:
        raise InvalidTransition(f"no verdict '{verdict}' here (one of: {', '.join(choices) or 'none'})")
    comment = (comment or "").strip()
    if choices[verdict].comment_required and not comment:
        raise ValidationError({"comment": "required"})
    before, mark = assignment.status, instance.checkpoint()
    instance.run_task(task.id, {"verdict": verdict, "comment": comment, "actor": user.id})
    instance.save()
    db.session.add(AssignmentEvent(assignment_id=assignment.id, user_id=user.id, kind="verdict", verdict=verdict,
                                   from_status=before, to_status=model.status_of(instance), comment=comment))
    # A timer already due when its event is reached (a return after the due date) fires at once.
    _react(assignment, instance, instance.passed_since(mark), quiet_status=True)
    notices.task_arrived(assignment, instance, actor=user, comment=comment)
    _flush(assignment)
    return assignment


def after_timers(instance, fired_nodes):
    """React to timers the worker fired: mark overdue (once) and tell people; archive."""
    following.after_timers(ASSIGNMENT, instance, fired_nodes)


def _follow(assignment, instance, passed, user, entry):
    """The record type's ``follow``: after a timer or a retry, mirror the workflow as after a verdict."""
    _react(assignment, instance, passed)
    _flush(assignment)


def _react(assignment, instance, passed, quiet_status=False):
    """Mirror the workflow onto the row after ``passed`` nodes completed; a marking node marks once."""
    model = flow.model_for(instance.row.definition)
    for node_id in passed:
        node = model.node(node_id)
        if node.properties.get("marks") == "overdue" and not assignment.overdue:
            assignment.overdue = True
            db.session.add(AssignmentEvent(assignment_id=assignment.id, kind="overdue", comment=node.name))
            notices.timer_fired(assignment, node)
    before = assignment.status
    _sync(assignment, instance, model)
    if before and assignment.status != before and not quiet_status:
        db.session.add(AssignmentEvent(assignment_id=assignment.id, kind=assignment.status,
                                       from_status=before, to_status=assignment.status))


def _sync(assignment, instance, model):
    """Mirror the workflow's status onto the row (for lists and filters)."""
    status = model.status_of(instance) or assignment.status
    if status == "done" and assignment.completed_at is None:
        assignment.completed_at = clock.now()
    if status == "archived" and assignment.archived_at is None:
        assignment.archived_at = clock.now()
    if status in ("new", "inWork", "clarification"):
        assignment.completed_at = None
    assignment.status = status


def _flush(assignment):
    with conflict_if_stale(f"assignment {assignment.id}"):
        db.session.flush()


def events(assignment):
    return history.entries(ASSIGNMENT, assignment)


def open_task(assignment):
    """(the open task, its verdicts) of an assignment; (None, []) when nobody needs to act."""
    instance, task = current_task(assignment)
    if task is None:
        return None, []
    return task, flow.model_for(instance.row.definition).verdicts.get(task.node_id, [])


ASSIGNMENT = RecordType(
    name="assignment", process_id=flow.PROCESS, model=Assignment, history=AssignmentEvent, owner="assignment_id",
    status_model=flow.AssignmentModel, error_from_status=False, follow=_follow,
    stuck_fields=lambda a: {"id": a.id, "title": a.title, "deal_number": a.deal.number},
    retried_fields=lambda a, definition: {"assignment_id": a.id},
)
