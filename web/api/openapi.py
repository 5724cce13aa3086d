"""The OpenAPI 3 document of the JSON API: every operation under /api/v1 with its bodies and answers.

``tests/security/test_api_contract.py`` checks that each route of the blueprint is listed here and
runs schemathesis against the served app: a response that does not match this document fails CI.
"""
from flask import jsonify

from processes.fields import MAX_ID
from web.api import bp

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time", "nullable": True, "description": "UTC, e.g. 2026-11-28T14:30:00Z"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def nullable(schema):
    return {**schema, "nullable": True}


def obj(properties, required=None, closed=False):
    """An object schema; every listed property is required unless ``required`` names fewer."""
    schema = {"type": "object", "properties": properties,
              "required": list(properties if required is None else required)}
    if closed:
        schema["additionalProperties"] = False
    if not schema["required"]:
        del schema["required"]
    return schema


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def many(name):
    return {"type": "array", "items": ref(name)}


_ERROR_CODES = ("400", "401", "403", "404", "405", "409", "413", "415", "422")


def op(summary, ok=None, status="200", body=None, query=(), content=None, public=False):
    """An operation answering ``status`` with schema ``ok`` (or raw ``content``), and JSON errors otherwise."""
    success = {"description": "OK"}
    if ok is not None:
        success["content"] = {"application/json": {"schema": ok}}
    if content is not None:
        success["content"] = content
    result = {"summary": summary, "responses": {status: success, **{code: {"$ref": "#/components/responses/Error"}
                                                                     for code in _ERROR_CODES}}}
    if body is not None:
        result["requestBody"] = {"required": True, "content": body if "schema" not in body
                                 else {"application/json": body}}
    if query:
        result["parameters"] = [{"name": name, "in": "query", "required": False, "schema": schema}
                                for name, schema in query]
    if public:
        result["security"] = []
    return result


def path_params(*names):
    kinds = {"number": ID, "activity_id": ID, "counterparty_id": ID, "letter_id": ID, "assignment_id": ID, "file_id": ID,
             "task_id": STR, "process_id": STR,
             "batch_id": ID}
    return [{"name": n, "in": "path", "required": True, "schema": kinds[n]} for n in names]


TEXT_IN = {"type": "string", "nullable": True}
DEAL_IN = obj({**{k: TEXT_IN for k in (
    "name", "company", "description", "contact_name", "phone", "sender_email", "site_email",
    "site_referrer", "ga_client_id", "ym_client_id", "mail_message")},
    "budget": {"oneOf": [STR, {"type": "number"}], "nullable": True, "description": "a decimal, e.g. 150000.00"},
    "created_at": {**TEXT_IN, "description": "ISO 8601; without a zone: the app's TIMEZONE"},
    "counterparty_id": nullable(ID), "source_id": nullable(ID), "responsible_id": nullable(ID),
    "contact_id": {**nullable(ID), "description": "the primary contact; fills the empty contact fields"},
    "expected_close": {**TEXT_IN, "description": "«Ожидаемая дата закрытия», a date like 2026-12-31"},
    "status": {**STR, "description": "start in this status (create only)"},
    "version": {**ID, "description": "the version read; a stale one is a 409 (update only)"}}, required=(), closed=True)
MOVE_IN = obj({"status": STR, "comment": STR, "version": ID,
               "reason_id": {**nullable(ID), "description": "a refusal reason (moves to «refusal» only)"}},
              required=("status",))
RETRY_IN = obj({"data": {"type": "object", "nullable": True,
                         "description": "replaces the failed task's data"}}, required=())
MIGRATE_IN = obj({"to_version": ID, "dry_run": {**BOOL, "default": True},
                  "numbers": {"type": "array", "items": ID, "description": "only these deals"},
                  "filter": {"type": "object", "description": "only the deals the journal finds with these "
                                                              "query parameters (status, responsible, q…)"}},
                 required=("to_version",))
UNDO_IN = obj({"dry_run": {**BOOL, "default": True}}, required=())
ASSIGNMENT_IN = obj({"title": STR, "description": STR, "priority": STR,
                     "performer": {"oneOf": [STR, ID], "description": "username or user id"},
                     "verifier": {"oneOf": [STR, ID], "nullable": True}, "performer_id": ID, "verifier_id": ID,
                     "due_at": {**STR, "description": "a date or ISO 8601 time"}},
                    required=("title", "due_at"))
NOTE_IN = obj({"text": STR}, required=("text",))
ACTIVITY_IN = obj({"kind": {"type": "string", "enum": ["call", "meeting", "email", "task"]}, "summary": STR,
                   "due_at": {**STR, "description": "ISO 8601; without a zone: the app's TIMEZONE"},
                   "owner": {"oneOf": [STR, ID], "nullable": True,
                             "description": "username or user id; default: the deal's responsible"}},
                  required=("kind", "summary", "due_at"))
DONE_IN = obj({"outcome": STR, "version": ID}, required=())
RESCHEDULE_IN = obj({"due_at": STR, "comment": STR, "version": ID}, required=("due_at",))
CONTACT_IN = obj({"name": STR, "position": TEXT_IN, "phone": TEXT_IN, "email": TEXT_IN,
                  "counterparty_id": nullable(ID),
                  "confirm": {**BOOL, "description": "add even when a likely duplicate exists"}}, required=("name",))
COUNTERPARTY_IN = obj({"name": STR, "inn": {**TEXT_IN, "description": "10 or 12 digits, checked by checksum"},
                       "kpp": TEXT_IN, "confirm": {**BOOL, "description": "add even when a similar name exists "
                                                                           "(never with the same INN)"}},
                      required=("name",))
VERDICT_IN = obj({"verdict": STR, "comment": STR, "version": ID}, required=("verdict",))
BPMN_IN = {"application/xml": {"schema": STR}, "text/xml": {"schema": STR},
           "multipart/form-data": {"schema": obj({"file": {"type": "string", "format": "binary"}})}}

S = {  # components/schemas
    "Error": obj({"error": STR, "message": STR,
                  "errors": {"description": "per field (validation) or per element (diagram)"},
                  "element_id": STR,
                  "duplicates": {"type": "array", "items": {"type": "object"},
                                 "description": "likely_duplicate: the lookalikes, each with its reason"},
                  "can_confirm": {**BOOL, "description": "likely_duplicate: sending again with confirm adds it"}},
                 required=("error", "message")),
    "Contact": obj({"id": INT, "name": STR, "position": STR, "phone": STR, "email": STR,
                    "counterparty_id": nullable(INT), "counterparty": nullable(STR)}),
    "CounterpartyBrief": obj({"id": INT, "name": STR, "inn": STR}),
    "Letter": obj({"id": INT, "message_id": STR, "subject": nullable(STR), "from": nullable(STR),
                   "from_name": nullable(STR), "received_at": TIME, "kind": nullable(STR),
                   "attachments": {"type": "array", "items": STR}, "size": nullable(INT)}),
    "Deal": obj({"number": INT, "name": nullable(STR), "company": nullable(STR), "counterparty_id": nullable(INT),
                 "counterparty": nullable(STR), "budget": {**STR, "nullable": True, "description": "a decimal"},
                 "responsible_id": nullable(INT), "responsible": nullable(STR), "created_at": TIME,
                 **{k: nullable(STR) for k in ("description", "contact_name", "phone", "sender_email", "site_email",
                                               "site_referrer", "ga_client_id", "ym_client_id", "mail_message",
                                               "stage")},
                 "source_id": nullable(INT), "source": nullable(STR), "contact_id": nullable(INT), "status": STR, "status_label": STR,
                 "status_changed_at": TIME, "version": INT,
                 "expected_close": {**STR, "format": "date", "nullable": True},
                 "letters": many("Letter"), "process_version": INT,
                 "allowed_moves": {"type": "array", "items": STR,
                                   "description": "status codes the caller may move it to, on its own version"}},
                required=("number", "status", "version")),
    "History": obj({"at": TIME, "user": nullable(STR), "kind": STR, "from": nullable(STR), "to": nullable(STR),
                    "comment": nullable(STR)}),
    "Task": obj({"id": STR, "node_id": STR, "name": nullable(STR), "lane": nullable(STR), "created_at": TIME,
                 "deal": obj({"number": INT, "name": nullable(STR), "status": STR, "version": INT}),
                 "owner": nullable(STR),
                 "assignment": obj({"id": INT, "title": STR, "status": STR, "overdue": BOOL, "due_at": TIME,
                                    "version": INT})},
                required=("id", "node_id", "deal")),
    "Assignment": obj({"id": INT, "title": STR, "description": nullable(STR), "priority": STR, "status": STR,
                       "status_label": STR, "overdue": BOOL, "due_at": TIME, "created_at": TIME,
                       "completed_at": TIME, "archived_at": TIME, "version": INT,
                       "deal": obj({"number": INT, "name": nullable(STR)}), "performer": STR,
                       "verifier": nullable(STR), "initiator": STR,
                       "task": obj({"id": STR, "node_id": STR, "name": nullable(STR), "verdicts": {
                           "type": "array", "items": obj({"code": STR, "label": STR, "comment_required": BOOL})}}),
                       "events": {"type": "array", "items": obj({
                           "at": TIME, "user": nullable(STR), "kind": STR, "verdict": nullable(STR),
                           "from_status": nullable(STR), "to_status": nullable(STR), "comment": nullable(STR)})},
                       "files": {"type": "array", "items": obj({"id": INT, "name": STR, "size": INT,
                                                                 "content_type": nullable(STR), "uploaded_at": TIME})}},
                      required=("id", "title", "status", "version", "deal", "performer")),
    "Activity": obj({"id": INT, "kind": STR, "summary": STR, "due_at": TIME, "owner": STR,
                     "deal": obj({"number": INT, "name": nullable(STR)}), "done": BOOL, "done_at": TIME,
                     "outcome": nullable(STR), "overdue": BOOL, "created_at": TIME, "version": INT}),
    "Note": obj({"id": INT, "text": STR, "user": STR, "at": TIME}),
    "TimelineEntry": obj({
        "kind": {"type": "string", "enum": ["note", "status", "letter_in", "letter_out", "activity", "assignment"]},
        "at": TIME, "user": nullable(STR), "id": INT,
        "event": {**STR, "description": "what happened: a history kind, created/done/rescheduled, a verdict…"},
        "text": nullable(STR), "from": nullable(STR), "to": nullable(STR), "subject": nullable(STR),
        "edited_at": TIME, "summary": nullable(STR), "activity_kind": STR, "due_at": TIME, "title": STR,
        "verdict": nullable(STR)}, required=("kind", "at")),
    "Definition": obj({"id": INT, "process_id": STR, "version": INT, "name": nullable(STR), "hash": STR,
                       "deployed_by": nullable(STR), "deployed_at": TIME, "running": INT}),
    "Statuses": obj({
        "statuses": {"type": "array", "items": obj({
            "code": STR, "label": STR, "stage": nullable(STR), "stage_label": nullable(STR), "lane": nullable(STR),
            "final": BOOL, "archive": BOOL, "order": INT, "moves": {"type": "array", "items": STR}})},
        "stages": {"type": "array", "items": obj({"name": STR, "label": STR, "percent": nullable(INT),
                                                  "statuses": {"type": "array", "items": STR}})},
        "start": {"type": "array", "items": STR},
        "definition": obj({"process_id": STR, "version": INT})}),
    "Stuck": obj({"status_label": STR, "version": INT, "node_id": STR, "node_name": nullable(STR), "reason": STR,
                  "since": TIME, "data": {"type": "object"}, "number": INT, "name": nullable(STR), "status": STR,
                  "id": INT, "title": STR, "deal_number": INT},
                 required=("version", "node_id", "reason", "since")),
    "Retried": obj({"proceeded": BOOL, "reason": STR, "process_id": STR, "version": INT, "number": INT,
                    "status": STR, "status_label": STR, "assignment_id": INT},
                   required=("proceeded", "reason", "process_id", "version")),
    "Migration": obj({"number": INT, "status": STR, "from_version": INT, "to_version": INT, "moved": BOOL,
                      "reason": STR, "status_label": STR}),
    "Problem": obj({"element_id": nullable(STR), "reason": STR}),
    "Diff": obj({
        "process_id": STR, "from_version": nullable(INT), "changed": BOOL, "order_changed": BOOL,
        "statuses": obj({
            "added": {"type": "array", "items": obj({"code": STR, "name": STR, "stage": STR, "lane": STR})},
            "removed": {"type": "array", "items": obj({"code": STR, "name": STR, "stage": STR, "lane": STR,
                                                       "records": {**INT, "description": "sitting in it now"}})},
            "renamed": {"type": "array", "items": obj({"code": STR, "old": STR, "new": STR})},
            "moved": {"type": "array", "items": obj({"code": STR, "old_stage": STR, "new_stage": STR,
                                                     "old_lane": STR, "new_lane": STR})}}),
        "moves": obj({"added": {"type": "array", "items": {"type": "array", "items": STR}},
                      "removed": {"type": "array", "items": {"type": "array", "items": STR}}}),
        "properties": {"type": "array", "items": obj({"code": STR, "property": STR, "old": nullable(STR),
                                                      "new": nullable(STR)})}}),
}

_NUMBER = path_params("number")
_ASSIGNMENT = path_params("assignment_id")
_PAGE = (("page", ID), ("per_page", {**ID, "description": "at most 500 are returned"}))
_DEAL_FILTERS = (("status", {**STR, "description": "status codes, comma separated"}),
                 ("responsible", {**STR, "description": "user ids, comma separated"}),
                 ("source", {**STR, "description": "source ids, comma separated"}),
                 ("q", STR), ("created_from", STR), ("created_to", STR), ("budget_min", STR), ("budget_max", STR),
                 ("archive", {"type": "string", "enum": ["1", "true", "yes", "0", "false", "no"]}),
                 ("rotting", {"type": "string", "enum": ["1", "true", "yes", "0", "false", "no"],
                              "description": "only deals idle longer than their status's rotDays"}),
                 ("sort", {**STR, "description": "a column, '-' first for descending"}),
                 ("analytics", {**STR, "description": "the deals an analytics figure counted: figure:key, e.g. "
                                                      "funnel:40, win-rate:won, transitions:new>firstContact"}),
                 ("from", STR), ("to", STR), ("counterparty", STR)) + _PAGE

_ASSIGNMENT_FILTERS = (("scope", STR), ("status", STR), ("deal", ID), ("overdue", STR), ("archive", STR)) + _PAGE
_ANALYTICS_FILTERS = (("from", {**STR, "description": "the first day, YYYY-MM-DD in the server's zone"}),
                      ("to", {**STR, "description": "the last day, included"}),
                      ("responsible", {**STR, "description": "user ids, comma separated (a manager: ignored)"}),
                      ("source", {**STR, "description": "source ids, comma separated"}),
                      ("counterparty", {**STR, "description": "counterparty ids, comma separated"}),
                      ("version", {**ID, "description": "deals running on this version of the deal process"}))
NUM = {"type": "number"}
RATIO = {"type": "number", "nullable": True, "description": "a share from 0 to 1; null when nothing to divide"}
SPREAD = {"median_days": nullable(NUM), "p90_days": nullable(NUM), "median_seconds": nullable(INT),
          "p90_seconds": nullable(INT)}
_PERIOD = {"from": STR, "to": STR}
_RATES = {"type": "array", "items": obj({"id": nullable(INT), "name": nullable(STR), "closed": INT, "won": INT,
                                         "rate": RATIO})}
_MONTH = obj({"month": nullable(STR), "deals": INT, "budget": NUM, "weighted": NUM})
ANALYTICS = {
    "funnel": ("Funnel: deals created in the period that reached each percent stage", obj({
        **_PERIOD, "created": INT, "stages": {"type": "array", "items": obj({
            "stage": STR, "label": STR, "percent": INT, "reached": INT, "share_of_first": RATIO,
            "share_of_previous": RATIO})}})),
    "win-rate": ("Win rate of the deals closed in the period, by manager and source; refusals by reason", obj({
        **_PERIOD, "closed": INT, "won": INT, "refused": INT, "rate": RATIO, "by_manager": _RATES,
        "by_source": _RATES, "reasons": {"type": "array", "items": obj({
            "id": INT, "name": nullable(STR), "count": INT})}})),
    "cycle-time": ("Days from creation to the win of the deals won in the period", obj({
        **_PERIOD, "deals": INT, **SPREAD})),
    "time-in-status": ("Median and p90 stay per status (stays that ended in the period, all versions)", obj({
        **_PERIOD, "statuses": {"type": "array", "items": obj({"status": STR, "label": STR, "stays": INT,
                                                               **SPREAD})}})),
    "forecast": ("Open deals by expected close month: count, budget, budget × stage percent", obj({
        **_PERIOD, "months": {"type": "array", "items": _MONTH}, "undated": _MONTH})),
    "throughput": ("Deals created, won and refused per week", obj({
        **_PERIOD, "weeks": {"type": "array", "items": obj({"week": STR, "created": INT, "won": INT,
                                                            "refused": INT})}})),
    "transitions": ("Every move from → to of the period, its count and median stay before it", obj({
        **_PERIOD, "moves": {"type": "array", "items": obj({
            "from": STR, "to": STR, "from_label": STR, "to_label": STR, "count": INT,
            "median_seconds": nullable(INT), "allowed": BOOL})}})),
}
_DEALS_PAGE = obj({"deals": many("Deal"), "total": INT, "page": INT, "per_page": INT})
_DEAL_CONTACTS = obj({"number": INT, "primary_id": nullable(INT), "contacts": many("Contact")})
_BINARY = {"schema": {"type": "string", "format": "binary"}}

def _deploy_op():
    """201 with the new versions; 200 when nothing but layout or order changed (the rows in effect, no new one)."""
    rows = obj({"processes": many("Definition"), "changed": BOOL})
    result = op("Deploy a BPMN file (analysts, admins); a diagram changed only in layout makes no version",
                rows, "201", body=BPMN_IN)
    result["responses"]["200"] = {"description": "No changes: no version made",
                                  "content": {"application/json": {"schema": rows}}}
    return result


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "dealflow API", "version": "1",
             "description": "Bearer tokens from `dealflow users token NAME`. Errors are JSON "
                            "{error, message, errors?}. Ids are whole numbers from 1 to 2147483647."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": S,
        "responses": {"Error": {"description": "A refusal: why, and per field where it applies",
                                "content": {"application/json": {"schema": ref("Error")}}}},
    },
    "paths": {
        "/openapi.json": {"get": op("This document", ok={"type": "object"}, public=True)},
        "/deals": {
            "get": op("List deals (the journal's filters)", _DEALS_PAGE, query=_DEAL_FILTERS),
            "post": op("Create a deal", ref("Deal"), "201", body={"schema": DEAL_IN}),
        },
        "/deals/{number}": {
            "parameters": _NUMBER,
            "get": op("Read a deal with its letters", ref("Deal")),
            "patch": op("Update some of a deal's fields", ref("Deal"), body={"schema": DEAL_IN}),
            "put": op("Update a deal's fields (as PATCH: the fields sent)", ref("Deal"), body={"schema": DEAL_IN}),
        },
        "/deals/{number}/move": {"parameters": _NUMBER,
                                 "post": op("Move a deal to a status", ref("Deal"), body={"schema": MOVE_IN})},
        "/deals/{number}/claim": {"parameters": _NUMBER, "post": op("Take an unowned deal", ref("Deal"))},
        "/deals/{number}/history": {"parameters": _NUMBER, "get": op(
            "A deal's status history", obj({"number": INT, "history": many("History")}))},
        "/deals/{number}/retry": {"parameters": _NUMBER, "post": op(
            "Retry a deal stuck in a process error from its failed task (analysts, admins)", ref("Retried"),
            body={"schema": RETRY_IN})},
        "/deals/{number}/letters/{letter_id}.eml": {
            "parameters": path_params("number", "letter_id"),
            "get": op("Download a letter of the deal as the raw .eml", content={"message/rfc822": _BINARY})},
        "/deals/{number}/assignments": {
            "parameters": _NUMBER,
            "get": op("A deal's assignments", obj({"assignments": many("Assignment")})),
            "post": op("Create an assignment on the deal", ref("Assignment"), "201", body={"schema": ASSIGNMENT_IN}),
        },
        "/deals/{number}/timeline": {"parameters": _NUMBER, "get": op(
            "A deal's timeline, newest first: notes, status changes, letters in and out, activities, assignments",
            obj({"number": INT, "entries": many("TimelineEntry"), "page": INT, "per_page": INT, "has_more": BOOL}),
            query=(("page", {**ID, "maximum": 100000}), ("per_page", {**ID, "description": "at most 200"})))},
        "/deals/{number}/notes": {"parameters": _NUMBER, "post": op(
            "Add a note to the deal; each @username mentioned gets a letter", ref("Note"), "201",
            body={"schema": NOTE_IN})},
        "/deals/{number}/activities": {"parameters": _NUMBER, "post": op(
            "Plan an activity (a next step) on the deal", ref("Activity"), "201", body={"schema": ACTIVITY_IN})},
        "/activities": {"get": op(
            "Open activities, soonest first (at most 500)", obj({"activities": many("Activity")}),
            query=(("mine", {"type": "string", "enum": ["1", "true", "yes", "0", "false", "no"]}),
                   ("overdue", {"type": "string", "enum": ["1", "true", "yes", "0", "false", "no"]})))},
        "/activities/{activity_id}/done": {"parameters": path_params("activity_id"), "post": op(
            "Mark an activity done with an outcome", ref("Activity"), body={"schema": DONE_IN})},
        "/activities/{activity_id}/reschedule": {"parameters": path_params("activity_id"), "post": op(
            "Move an activity to another time (reminded again when it falls due)", ref("Activity"),
            body={"schema": RESCHEDULE_IN})},
        "/deals/{number}/contacts": {
            "parameters": _NUMBER,
            "get": op("A deal's contacts, the primary one first", _DEAL_CONTACTS),
            "post": op("Add a contact to a deal (the primary one is the deal's contact_id)", _DEAL_CONTACTS,
                       body={"schema": obj({"contact_id": ID})}),
        },
        "/contacts": {
            "get": op("Search contacts by name, e-mail or phone", obj({"contacts": many("Contact")}),
                      query=(("q", STR), ("counterparty_id", {**ID, "description": "its people first"}))),
            "post": op("Add a contact (409 likely_duplicate: the same e-mail or a similar name)", ref("Contact"),
                       "201", body={"schema": CONTACT_IN}),
        },
        "/counterparties": {"post": op(
            "Add a counterparty (409 likely_duplicate: the same INN, or a similar name)", ref("CounterpartyBrief"),
            "201", body={"schema": COUNTERPARTY_IN})},
        "/counterparties/{counterparty_id}": {"parameters": path_params("counterparty_id"), "get": op(
            "A counterparty's card: deals, contacts, letters and total won", obj({
                "id": INT, "name": STR, "inn": STR, "kpp": STR, "won_total": {**STR, "description": "a decimal"},
                "won_count": INT, "deal_count": INT,
                "deals": {"type": "array", "items": obj({"number": INT, "name": STR, "status": STR,
                                                         "budget": nullable(STR)})},
                "contacts": many("Contact"),
                "letters": {"type": "array", "items": obj({"id": INT, "deal_number": INT, "subject": STR,
                                                           "from": STR, "received_at": TIME})}}))},
        "/assignments": {"get": op("The assignments journal", obj({
            "assignments": many("Assignment"), "total": INT, "page": INT, "per_page": INT}),
            query=_ASSIGNMENT_FILTERS)},
        "/assignments/{assignment_id}": {"parameters": _ASSIGNMENT, "get": op(
            "Read an assignment with its events, files and open task", ref("Assignment"))},
        "/assignments/{assignment_id}/files/{file_id}": {
            "parameters": path_params("assignment_id", "file_id"),
            "get": op("Download a file of the assignment", content={"application/octet-stream": _BINARY})},
        "/assignments/{assignment_id}/verdict": {"parameters": _ASSIGNMENT, "post": op(
            "Give the open task's verdict", ref("Assignment"), body={"schema": VERDICT_IN})},
        "/assignments/{assignment_id}/retry": {"parameters": _ASSIGNMENT, "post": op(
            "Retry an assignment stuck in a process error from its failed task (analysts, admins)", ref("Retried"),
            body={"schema": RETRY_IN})},
        "/tasks": {"get": op("My tasks or my group's tasks, oldest first, by pages",
                             obj({"tasks": many("Task"), "page": INT, "per_page": INT, "has_more": BOOL}),
                             query=(("scope", {"type": "string", "enum": ["mine", "group"]}),
                                    ("page", {**ID, "maximum": 100000}),
                                    ("per_page", {**ID, "description": "at most 200"})))},
        "/tasks/{task_id}/claim": {"parameters": path_params("task_id"),
                                   "post": op("Claim a group task", ref("Task"))},
        "/tasks/{task_id}/unclaim": {"parameters": path_params("task_id"),
                                     "post": op("Release a task", ref("Task"))},
        "/tasks/{task_id}/complete": {"parameters": path_params("task_id"), "post": op(
            "Complete a task (a deal's status task: its next status; an assignment's: a verdict)",
            {"oneOf": [ref("Deal"), ref("Assignment")]}, body={"schema": {"type": "object"}})},
        "/process/statuses": {"get": op("Statuses, stages and allowed moves of the deployed deal process",
                                        ref("Statuses"))},
        "/processes": {
            "get": op("Deployed process definitions", obj({"processes": many("Definition")})),
            "post": _deploy_op(),
        },
        "/processes/{process_id}/diff": {
            "parameters": path_params("process_id"),
            "get": op("What deploying a diagram (the source query parameter) would change (analysts, admins)",
                      ref("Diff"), query=(("source", {**STR, "description": "the BPMN text"}),)),
            "post": op("What deploying the posted diagram would change (analysts, admins)", ref("Diff"),
                       body=BPMN_IN)},
        "/processes/validate": {"post": op(
            "Check a diagram as a deploy would, deploying nothing", obj({"valid": BOOL, "errors": many("Problem")}),
            body=BPMN_IN)},
        "/processes/{process_id}/migrate": {"parameters": path_params("process_id"), "post": op(
            "Move running deals to a version (a dry run by default)",
            obj({"process_id": STR, "to_version": INT, "dry_run": BOOL, "moved": INT, "refused": INT,
                 "batch_id": nullable(INT), "deals": many("Migration")}), body={"schema": MIGRATE_IN})},
        "/processes/{process_id}/migrations/{batch_id}/undo": {
            "parameters": path_params("process_id", "batch_id"), "post": op(
                "Undo a migration: its deals back to their versions, those not moved since (a dry run by default)",
                obj({"process_id": STR, "undone_batch": INT, "dry_run": BOOL, "moved": INT, "refused": INT,
                     "batch_id": nullable(INT), "deals": many("Migration")}), body={"schema": UNDO_IN})},
        "/processes/{process_id}/stuck": {"parameters": path_params("process_id"), "get": op(
            "Deals (for the assignment process also assignments) stuck in an error of the process",
            obj({"process_id": STR, "deals": many("Stuck"), "assignments": many("Stuck")},
                required=("process_id", "deals")))},
        **{f"/analytics/{name}": {"get": op(summary + " (a manager: their own deals)", schema,
                                            query=_ANALYTICS_FILTERS)}
           for name, (summary, schema) in ANALYTICS.items()},
    },
}


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
