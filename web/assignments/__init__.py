"""Assignment pages: the journal, an assignment with its verdict buttons, the create form, the card's list."""
from flask import Blueprint

bp = Blueprint("assignments", __name__)


def filesize(size):
    """A file's size as people read it: 512 B, 12.3 KB, 4.1 MB (in the user's language)."""
    from flask_babel import format_decimal, gettext as _
    if size < 1024:
        return _("%(n)s B", n=size)
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(size / 1024, "#,##0.#"))
    return _("%(n)s MB", n=format_decimal(size / (1024 * 1024), "#,##0.#"))


def init_app(app):
    """Register the pages and the card hook (``deal_assignments`` in templates)."""
    from tasks import assignment_journal
    app.register_blueprint(bp)
    app.jinja_env.globals.update(deal_assignments=assignment_journal.of_deal,
                                 assignment_status=assignment_journal.status_label,
                                 assignment_labels=assignment_journal.labels)
    app.jinja_env.filters.update(filesize=filesize)


from web.assignments import routes  # noqa: E402,F401
