"""Domain errors mapped once to HTTP status codes (and CLI exit codes)."""
from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from engine.db import db
from web.problem_messages import problem_dict
from processes.errors import (CannotProceed, Conflict, Forbidden, InvalidDiagram, InvalidTransition, LikelyDuplicate,
                               NotFound, ProcessFailed, Refusal, ValidationError, WorkflowError)

# The one map of every refusal (``processes.errors.Refusal``) to (HTTP status, CLI exit code, machine-readable code);
# the first matching row wins, anything else is a 400 / exit 2 "bad_request".
MAPPING = (
    (ValidationError, 422, 3, "validation_error"),
    (InvalidDiagram, 422, 3, "invalid_diagram"),
    (InvalidTransition, 422, 4, "invalid_transition"),
    (Forbidden, 403, 5, "forbidden"),
    (NotFound, 404, 6, "not_found"),
    (LikelyDuplicate, 409, 7, "likely_duplicate"),
    (Conflict, 409, 7, "conflict"),
    (WorkflowError, 409, 8, "workflow_error"),
    (CannotProceed, 409, 8, "workflow_error"),
    (ProcessFailed, 409, 8, "process_failed"),
)


def classify(exc):
    """(HTTP status, exit code, code) for a refusal."""
    for cls, status, exit_code, code in MAPPING:
        if isinstance(exc, cls):
            return status, exit_code, code
    return 400, 2, "bad_request"


def error_body(exc):
    status, _, code = classify(exc)
    body = {"error": code, "message": str(exc)}
    if isinstance(exc, ValidationError):
        body["errors"] = exc.errors
    if isinstance(exc, LikelyDuplicate):
        body["duplicates"], body["can_confirm"] = exc.duplicates, exc.can_confirm
    if isinstance(exc, InvalidDiagram):
        # The API (like the CLI) keeps the engine's English; the pages and the modeler read the user's language.
        translate = problem_dict if not request.path.startswith("/api/") else (lambda p: p.as_dict())
        body["errors"] = [translate(p) for p in exc.problems]
    if isinstance(exc, (WorkflowError, CannotProceed, ProcessFailed)) and exc.element_id:
        body["element_id"] = exc.element_id
    return body, status


def end_transaction(exc):
    """Roll back a refused request; commit one whose error was recorded on purpose (``keep_changes``)."""
    if getattr(exc, "keep_changes", False):
        db.session.commit()
    else:
        db.session.rollback()


def register(app):
    @app.errorhandler(Refusal)
    def domain_error(exc):
        end_transaction(exc)
        body, status = error_body(exc)
        if request.path.startswith("/api/"):
            return jsonify(body), status
        from web.pages import error_page
        return error_page(status, body)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        body = {"error": exc.name.lower().replace(" ", "_"), "message": exc.description}
        # The exception's own headers (a 405's Allow, a 401's WWW-Authenticate) travel with any body.
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if request.path.startswith("/api/"):
            return jsonify(body), exc.code, headers
        if exc.description == type(exc).description:
            body["message"] = ""  # Werkzeug's stock English sentence: the page's own title and explanation say it
        if exc.code in (400, 403, 404, 405, 409, 413, 422, 429):
            from web.pages import error_page
            page, status = error_page(exc.code, body)
            return page, status, headers
        return exc
