"""«Перевести»: migrate all running deals, those of a journal filter or picked ones; dry run, confirm, undo.

The dry run lists each deal with what would happen and a box to pick it; the
real run moves only the deals ticked there and needs its confirmation box
ticked (the browser requires it, the server checks it again). A batch moved
by a real run can be undone from the same page while its deals stay put.
"""
import re
from urllib.parse import parse_qs

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from engine.db import db
from processes import journal, migration_batches
from processes.deal_record import DEAL
from processes.errors import ValidationError
from processes.migration import migrate_deals, undo_migration
from web.processes_ui import bp
from web.processes_ui.routes import EDITORS, versions
from web.ui import roles_required


def _numbers(texts):
    numbers = []
    for text in texts:
        for part in re.split(r"[\s,;]+", text.strip()):
            if not part:
                continue
            if not part.isdigit() or not 0 < int(part) <= 2147483647:
                raise ValidationError({"numbers": _("Deal numbers, separated by commas.")})
            numbers.append(int(part))
    return numbers


def _selection(form):
    """(numbers, journal filters) the form chose: picked deals win, then the scope's choice."""
    if form.getlist("deal"):
        return _numbers(form.getlist("deal")), None
    scope = form.get("scope", "all")
    if scope == "picked":
        return _numbers([form.get("numbers", "")]), None
    if scope == "filter":
        query = form.get("filter", "").split("?", 1)[-1]
        return None, journal.parse_filters(parse_qs(query, keep_blank_values=False))
    return None, None


def _page(migration, status=200):
    return render_template("processes_ui/list.html", processes=versions(), migration=migration,
                           batches=migration_batches.recent(DEAL.process_id)), status


def _confirmed():
    if request.form.get("confirm") != "1":
        raise ValidationError({"confirm": _("Tick the confirmation to migrate for real.")})


@bp.post("/<process_id>/migrate")
@roles_required(*EDITORS)
def migrate(process_id):
    """The dry run (the default) lists what would happen; ``run=1`` with ``confirm=1`` migrates the picked deals."""
    to_version = request.form.get("to_version", type=int)
    dry_run = request.form.get("run") != "1"
    if not dry_run:
        _confirmed()
    numbers, filters = _selection(request.form)
    results = migrate_deals(process_id, to_version or 0, current_user, dry_run=dry_run, numbers=numbers,
                            filters=filters)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        flash(_("Deals moved to version %(version)s: %(count)s.", version=to_version,
                count=sum(r.moved for r in results)))
    return _page({"process_id": process_id, "to_version": to_version, "dry_run": dry_run, "results": results,
                  "batch_id": results.batch_id})


@bp.post("/<process_id>/migrations/<int:batch_id>/undo")
@roles_required(*EDITORS)
def undo(process_id, batch_id):
    """Undo a batch: its deals back to the versions they came from, those that have not moved since."""
    _confirmed()
    results = undo_migration(process_id, batch_id, current_user, dry_run=False)
    db.session.commit()
    flash(_("Migration %(batch)s undone: %(count)s deals moved back.", batch=batch_id,
            count=sum(r.moved for r in results)))
    return _page({"process_id": process_id, "to_version": None, "dry_run": False, "results": results,
                  "undone": batch_id})
