"""Error pages of the UI: a clear page (or a JSON body for the page's scripts) per refusal."""
from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l

from web.domain_messages import reason_text

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("Access denied"),
    404: _l("Not found"),
    405: _l("This action is not available here"),
    409: _l("Someone else changed this just now"),
    413: _l("Too much sent at once"),
    422: _l("The request was refused"),
    429: _l("Too many attempts"),
}
# A code whose status's title would mislead (a 409 that is no edit conflict).
CODE_TITLES = {"process_failed": _l("The deal's process failed")}
EXPLANATIONS = {
    "forbidden": _l("Your role or your relation to this record does not allow this action."),
    "not_found": _l("There is no such record, or it was removed."),
    "conflict": _l("The record was changed by someone else. Reload the page and try again."),
    "workflow_error": _l("The deal's process could not take this step."),
    "process_failed": _l("The deal's process failed in an automated step. The deal is listed on the process "
                         "dashboard for an analyst to retry it from there."),
    "invalid_transition": _l("The process diagram does not allow this move."),
    "validation_error": _l("Some fields need correcting."),
    "csrf_error": _l("The form has expired. Reload the page and send it again."),
    "request_entity_too_large": _l("The files sent together are larger than the server accepts. "
                                   "Go back and send fewer or smaller files."),
}


def wants_json():
    """Scripts of the UI ask for JSON; a browser navigating gets a page."""
    return request.accept_mimetypes.best == "application/json"


def error_page(status, body):
    """The page (or JSON for scripts) for an HTTP status and an error body."""
    code = body.get("error", "")
    if code == "bad_request" and "CSRF" in (body.get("message") or ""):
        code = "csrf_error"
    title = str(CODE_TITLES.get(code) or TITLES.get(status, TITLES[422]))
    explanation = str(EXPLANATIONS.get(code, ""))
    if wants_json():
        return jsonify({**body, "title": title, "explanation": explanation}), status
    return render_template("errors/error.html", status=status, title=title, explanation=explanation,
                           detail=reason_text(body.get("message", "")), errors=body.get("errors")), status
