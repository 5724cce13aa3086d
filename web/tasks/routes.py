"""Task views: lists, claim/unclaim, and completing a task (the director's decision too)."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine import clock
from engine.db import db
from processes import card, letters, statuses
from processes.errors import ValidationError
from tasks import assignment_files, decisions, inbox
from web.deals.form import SECTIONS
from web.tasks import bp
from web.ui import page_number


@bp.get("/tasks")
@login_required
def mine():
    """«Мои задачи»: what needs the user now (the header's count is the same number)."""
    agenda = inbox.agenda(current_user, page_number(), page_number("activities_page"))
    g.my_task_total = agenda.task_total + agenda.activity_total  # the header's badge (web.ui.my_task_badge)
    return render_template("tasks/list.html", scope="mine", items=agenda.tasks + agenda.to_take,
                           activities=agenda.activities, agenda=agenda, now=clock.now())


@bp.get("/tasks/group")
@login_required
def group():
    page = page_number()
    items, more = inbox.group_tasks(current_user, page)
    return render_template("tasks/list.html", scope="group", items=items, page=page, more=more)


@bp.get("/decisions")
@login_required
def decisions_page():
    """«Решения»: every deal waiting at a director's task, oldest first; a director lands here."""
    return render_template("tasks/decisions.html", items=decisions.waiting(current_user))


@bp.post("/tasks/<task_id>/claim")
@login_required
def claim(task_id):
    item = inbox.claim(task_id, current_user)
    db.session.commit()
    if request.form.get("back") == "decision":  # claimed from the decision page or «Решения»: decide now
        return redirect(url_for("tasks.show", task_id=item.id, back=_back(request.form.get("then"))))
    return redirect(url_for("tasks.mine"))


@bp.post("/tasks/<task_id>/unclaim")
@login_required
def unclaim(task_id):
    inbox.unclaim(task_id, current_user)
    db.session.commit()
    return redirect(url_for("tasks.group"))


def _render_task(item, errors=None, status=200):
    deal_card = card.load_card(item.deal.number, current_user)
    return render_template("tasks/task.html", item=item, card=deal_card, errors=errors or {},
                           form=request.form, letters=letters.letters_of(deal_card.deal), sections=SECTIONS,
                           files=assignment_files.files_of_deal(deal_card.deal, current_user),
                           claim_needed=decisions.claim_needed(item),
                           back=_back(request.values.get("back"))), status


def _back(value):
    """Where a decision returns to: «Решения» when it was opened from there (None: «Мои задачи»)."""
    return "decisions" if value == "decisions" else None


@bp.get("/tasks/<task_id>")
@login_required
def show(task_id):
    item = inbox.get_task(task_id)
    if item.assigned:  # an assignment's task: its verdicts are on the assignment's page
        return redirect(url_for("assignments.show", assignment_id=item.assignment.id))
    return _render_task(item)


@bp.post("/tasks/<task_id>/complete")
@login_required
def complete(task_id):
    data = {"status": request.form.get("status", ""), "comment": request.form.get("comment", ""),
            "version": request.form.get("version")}
    try:
        deal = inbox.complete(task_id, current_user, data)
    except ValidationError as exc:
        db.session.rollback()
        return _render_task(inbox.get_task(task_id), exc.errors, 422)
    db.session.commit()
    flash(_("Done: deal %(number)s is now «%(status)s».", number=deal.number,
            status=statuses.model_of(deal).get(deal.status).label))  # the deal's own version
    if request.form.get("back") == "decisions":
        return redirect(url_for("tasks.decisions_page"))
    return redirect(url_for("tasks.mine"))
