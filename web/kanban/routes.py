"""More cards of one board column, as an HTML fragment the board's script appends."""
from flask import render_template, request
from flask_login import current_user, login_required

from processes import board, statuses
from web.journal.filters import filters_from_request
from web.kanban import bp


@bp.get("/v2/journals/kanban/column")
@login_required
def column_page():
    model = statuses.current_model()
    code = request.args.get("column", "")
    status = model.by_code.get(code) or statuses.retired_status(code) or model.get(code)
    cards = board.column_cards(filters_from_request(), model, status.code, request.args.get("before", type=int))
    drops = board.drop_rules(cards, model, current_user._get_current_object())
    return render_template("kanban/_cards.html", cards=cards, allowed=drops.allowed, why=drops.why, old=drops.old,
                           marks=board.card_marks(cards, model), idle=board.card_idle(cards, model))
