"""Bulk actions of the journal: the ticked deals (or all that match the filter) → one action, a report per deal."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from engine.db import db
from processes import bulk, journal, statuses, users
from processes.errors import Conflict, Forbidden, InvalidTransition, NotFound, ProcessFailed, ValidationError
from web.journal import bp
from web.journal.filters import FILTER_KEYS


@bp.post("/v2/journals/bulk")
@login_required
def bulk_action():
    action = request.form.get("action", "")
    params = {"responsible_id": request.form.get("responsible_id", ""), "status": request.form.get("status", ""),
              "comment": request.form.get("comment", ""), "text": request.form.get("text", "")}
    back = request.form.get("back", "")
    try:
        bulk.check_action(action)
        if request.form.get("scope") == "all":
            filters = journal.parse_filters(_carried_filters())
            numbers = bulk.chosen_numbers(filters=filters)
        else:
            numbers = bulk.chosen_numbers(request.form.getlist("numbers"))
    except ValidationError as exc:
        db.session.rollback()
        return render_template("journal/bulk_result.html", outcomes=[], errors=exc.errors, action=action,
                               back=_back(back), refusal_text=refusal_text), 422
    outcomes = bulk.run(action, numbers, current_user, params, db.session.commit, db.session.rollback)
    target = statuses.current_model().by_code.get(params["status"]) if action == "move" else None
    responsible = next((u for u in users.responsibles() if str(u.id) == params["responsible_id"]), None)
    return render_template("journal/bulk_result.html", outcomes=outcomes, errors={}, action=action, target=target,
                           responsible=responsible, back=_back(back), refusal_text=refusal_text)


def _carried_filters():
    """The journal's filters the form carries as ``filter.<key>`` (apart from the action's own fields)."""
    found = {}
    for key, values in request.form.lists():
        name = key.removeprefix("filter.")
        if key.startswith("filter.") and name in FILTER_KEYS and values != [""]:
            found[name] = values
    return found


def _back(value):
    """The journal page the user came from (only a journal address)."""
    return value if value.startswith("/v2/journals?") else "/v2/journals?journalId=deals-journal"


# What kind of refusal it was, in the user's language; the domain's own words (English, with values) follow.
KINDS = ((Forbidden, _l("not allowed")), (InvalidTransition, _l("the diagram does not allow this move")),
         (Conflict, _l("changed by someone else meanwhile")), (NotFound, _l("not found")),
         (ProcessFailed, _l("the deal's process failed")))


def refusal_text(exc):
    """Why one deal was refused, as the report shows it."""
    if isinstance(exc, ValidationError):
        return "; ".join(_(message) for message in exc.errors.values())
    for cls, label in KINDS:
        if isinstance(exc, cls):
            return f"{label}: {exc}"
    return str(exc)
