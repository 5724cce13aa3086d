"""More cards of one board column, as an HTML fragment the board's script appends."""
from flask import render_template, request
from flask_login import login_required

from processes import board, statuses
from web.journal.filters import filters_from_request
from web.kanban import bp


@bp.get("/v2/journals/kanban/column")
@login_required
def column_page():
    model = statuses.current_model()
    status = model.get(request.args.get("column", ""))
    offset = max(0, request.args.get("offset", 0, type=int))
    cards = board.column_cards(filters_from_request(), model, status.code, offset)
    return render_template("kanban/_cards.html", cards=cards, model=model)
