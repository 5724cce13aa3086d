"""Journal views: the table or the board, exports, and the column chooser."""
from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from engine.db import db
from processes import board, bulk, export, journal, preferences, rotting
from processes.records.listing import page_count
from web.journal import bp
from web.ui import url_with
from web.journal.columns import COLUMNS, PREFERENCE, chosen
from web.journal.filters import filter_options, filters_from_request, filters_or_errors

JOURNAL_ID = "deals-journal"


@bp.get("/v2/journals")
@login_required
def index():
    if "journalId" not in request.args:
        return redirect(url_for("journal.index", journalId=JOURNAL_ID, **request.args.to_dict(flat=False)))
    if request.args["journalId"] != JOURNAL_ID:
        abort(404)
    filters, filter_errors = filters_or_errors()
    status = 422 if filter_errors else 200
    if request.args.get("viewMode") == "kanban":
        columns = board.load_board(filters, user=current_user._get_current_object())  # not a proxy per card
        return render_template("kanban/board.html", columns=columns, filters=filters, view_mode="kanban",
                               filter_errors=filter_errors, **filter_options()), status
    columns = chosen(preferences.get(current_user, PREFERENCE))
    rows, total, touched = journal.search(filters, shown=[c.key for c in columns])
    pages = page_count(total, filters.per_page)
    if filters.page > pages:  # a bookmark of a page the list no longer has: its last page
        return redirect(url_with(page=pages))
    return render_template("journal/list.html", view_mode=None, rows=rows, total=total, pages=pages, filters=filters,
                           idle=rotting.idle_days(rows, touched=touched), bulk_actions=bulk.ACTIONS,
                           columns=columns, all_columns=COLUMNS,
                           filter_errors=filter_errors, **filter_options()), status


@bp.get("/deals")
@login_required
def deals_alias():
    return redirect(url_for("journal.index", journalId=JOURNAL_ID, **request.args.to_dict(flat=False)))


@bp.get("/v2/journals/export.<fmt>")
@login_required
def export_deals(fmt):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    filters = filters_from_request()
    if fmt == "csv":
        body, mimetype = export.deals_csv(filters), "text/csv; charset=utf-8"
    else:
        columns = [(c.key, c.label) for c in chosen(preferences.get(current_user, PREFERENCE))]
        body, mimetype = export.deals_xlsx(filters, columns), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=deals.{fmt}", "X-Content-Type-Options": "nosniff"})


@bp.post("/v2/journals/columns")
@login_required
def save_columns():
    keys = [c.key for c in chosen(request.form.getlist("columns"))]
    preferences.put(current_user, PREFERENCE, keys)
    db.session.commit()
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/v2/journals?") else url_for("journal.index", journalId=JOURNAL_ID))
