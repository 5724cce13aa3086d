"""The OpenAPI 3 document of the JSON API."""
from flask import jsonify

from web.api import bp

_ERR = {"$ref": "#/components/responses/Error"}


def _op(summary, body=None, params=(), ok="200"):
    op = {"summary": summary, "responses": {ok: {"description": "OK"}, "400": _ERR, "401": _ERR,
                                            "403": _ERR, "404": _ERR, "409": _ERR, "422": _ERR}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = [{"name": p, "in": "query", "schema": {"type": "string"}} for p in params]
    return op


_NUMBER = [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}]
_TASK = [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}]
_DEAL = {"type": "object", "properties": {k: {"type": "string"} for k in (
    "name", "company", "budget", "description", "contact_name", "phone", "sender_email", "site_email",
    "site_referrer", "ga_client_id", "ym_client_id", "created_at", "status")} | {
    "counterparty_id": {"type": "integer"}, "source_id": {"type": "integer"},
    "responsible_id": {"type": "integer"}, "version": {"type": "integer"}}}
_MOVE = {"type": "object", "required": ["status"], "properties": {
    "status": {"type": "string"}, "comment": {"type": "string"}, "version": {"type": "integer"}}}

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "dealflow API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                             "errors": {}}}}}}},
    },
    "paths": {
        "/deals": {
            "get": _op("List deals", params=("status", "responsible", "source", "q", "created_from", "created_to",
                                             "budget_min", "budget_max", "archive", "sort", "page", "per_page")),
            "post": _op("Create a deal", body=_DEAL, ok="201"),
        },
        "/deals/{number}": {"parameters": _NUMBER, "get": _op("Read a deal"),
                            "patch": _op("Update a deal's fields", body=_DEAL)},
        "/deals/{number}/move": {"parameters": _NUMBER, "post": _op("Move a deal to a status", body=_MOVE)},
        "/deals/{number}/claim": {"parameters": _NUMBER, "post": _op("Take an unowned deal")},
        "/deals/{number}/history": {"parameters": _NUMBER, "get": _op("A deal's status history")},
        "/deals/{number}/retry": {"parameters": _NUMBER, "post": _op(
            "Retry a deal stuck in a process error from its failed task (analysts, admins)",
            body={"type": "object", "properties": {"data": {"type": "object"}}})},
        "/deals/{number}/letters/{letter_id}.eml": {
            "parameters": _NUMBER + [{"name": "letter_id", "in": "path", "required": True,
                                      "schema": {"type": "integer"}}],
            "get": _op("Download a letter of the deal as the raw .eml (message/rfc822)")},
        "/tasks": {"get": _op("My tasks or my group's tasks", params=("scope",))},
        "/tasks/{task_id}/claim": {"parameters": _TASK, "post": _op("Claim a group task")},
        "/tasks/{task_id}/unclaim": {"parameters": _TASK, "post": _op("Release a task")},
        "/tasks/{task_id}/complete": {"parameters": _TASK, "post": _op("Complete a task", body=_MOVE)},
        "/process/statuses": {"get": _op("Statuses, stages and allowed moves of the deployed deal process")},
        "/processes/{process_id}/stuck": {
            "parameters": [{"name": "process_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": _op("Deals (for the assignment process also assignments) stuck in an error of the process, "
                       "with the reason")},
        "/assignments/{assignment_id}/retry": {
            "parameters": [{"name": "assignment_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "post": _op("Retry an assignment stuck in a process error from its failed task (analysts, admins)",
                        body={"type": "object", "properties": {"data": {"type": "object"}}})},
        "/processes": {"get": _op("Deployed process definitions"),
                       "post": _op("Deploy a BPMN file (body or multipart 'file')", ok="201")},
    },
}


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
