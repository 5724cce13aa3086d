"""Assignment pages: the journal, an assignment with its verdict buttons, the create form, the card's list."""
from flask import Blueprint

bp = Blueprint("assignments", __name__)


def init_app(app):
    """Register the pages and the card hook (``deal_assignments`` in templates)."""
    from tasks import assignment_journal
    app.register_blueprint(bp)
    app.jinja_env.globals.update(deal_assignments=assignment_journal.of_deal,
                                 assignment_status=assignment_journal.status_label)


from web.assignments import routes  # noqa: E402,F401
