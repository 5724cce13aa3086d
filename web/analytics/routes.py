"""Views of «Аналитика»: the page (every figure) and each table's CSV/XLSX export."""
from flask import Response, abort, render_template, request
from flask_babel.speaklater import LazyString
from flask_login import current_user

from processes import analytics, directories, export
from processes.analytics.scope import SEES_ALL
from web.analytics import bp
from web.analytics.tables import TABLES
from web.headers import download_headers
from web.ui import choices, roles_required

ROLES = ("manager", "director", "analyst", "admin")


def _args():
    return {k: v for k, v in request.args.lists() if v != [""]}


def _tables(scope):
    return [table for figure, shape in TABLES.items() for table in shape(analytics.FIGURES[figure](scope))]


@bp.get("/")
@roles_required(*ROLES)
def index():
    scope = analytics.parse_scope(_args(), current_user)
    return render_template("analytics/index.html", scope=scope, tables=_tables(scope), link=scope.query(),
                           responsibles=choices().responsibles, sources=choices().sources,
                           counterparties=directories.find_counterparties(limit=200),
                           sees_all=current_user.role in SEES_ALL)


@bp.get("/<name>.<fmt>")
@roles_required(*ROLES)
def export_table(name, fmt):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    scope = analytics.parse_scope(_args(), current_user)
    table = next((t for t in _tables(scope) if t.name == name), None)
    if table is None:
        abort(404)
    rows = [[str(v) if isinstance(v, LazyString) else v for v in row] for row in table.rows]
    if fmt == "csv":
        body, mimetype = export.table_csv(table.columns, rows), "text/csv; charset=utf-8"
    else:
        body = export.table_xlsx(table.columns, rows, name)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers=download_headers(f"{name}-{scope.first}-{scope.last}.{fmt}"))
