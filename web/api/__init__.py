"""The JSON API under /api/v1, authenticated with per-user bearer tokens."""
from flask import Blueprint, g, jsonify, request

from processes import users

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    user = users.by_token(token)
    if user is None:
        response = jsonify({"error": "unauthorized", "message": "a valid bearer token is required"})
        response.headers["WWW-Authenticate"] = 'Bearer realm="dealflow"'
        return response, 401
    g.api_user = user
    return None


from web.api import activities, analytics, assignments, contacts, deals, openapi, processes, tasks  # noqa: E402,F401  (routes register on bp)
