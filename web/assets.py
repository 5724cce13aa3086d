"""Static assets with content-hashed URLs, so browsers keep them a year and never use a stale one.

One ``url_defaults`` hook adds ``v=<first 12 hex digits of the file's SHA-256>`` to every
``url_for('static', …)`` (the app's and any blueprint's), so templates need no helper of their own;
a response to such a URL is ``Cache-Control: public, max-age=31536000, immutable``. A changed file gets a
new URL. Files reached otherwise (the fonts bpmn-js's CSS names relatively) keep Flask's default:
revalidated with their ETag.
"""
import hashlib
import os

from flask import request

YEAR = 365 * 24 * 3600


def init_app(app):
    hashes = {}  # path -> (mtime, hash): a file changed on disk (development) gets a new hash

    def content_hash(path):
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            return None
        known = hashes.get(path)
        if known is None or known[0] != mtime:
            with open(path, "rb") as f:
                known = hashes[path] = (mtime, hashlib.sha256(f.read()).hexdigest()[:12])
        return known[1]

    def folder_of(endpoint):
        if endpoint == "static":
            return app.static_folder
        blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
        return blueprint.static_folder if blueprint is not None else None

    @app.url_defaults
    def hashed_static_url(endpoint, values):
        if not (endpoint == "static" or endpoint.endswith(".static")) or "v" in values or not values.get("filename"):
            return
        folder = folder_of(endpoint)
        digest = content_hash(os.path.join(folder, values["filename"])) if folder else None
        if digest:
            values["v"] = digest

    @app.after_request
    def cache_hashed_assets(response):
        endpoint = request.endpoint or ""
        if (endpoint == "static" or endpoint.endswith(".static")) and request.args.get("v") \
                and response.status_code in (200, 304):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
