"""The server-rendered UI: login, CSRF, languages, and the blueprints of each area."""
import re
from functools import wraps

from flask import abort, current_app, g, request, url_for
from flask_babel import format_decimal, get_locale, get_translations, to_user_timezone
from flask_babel import gettext as _
from markupsafe import Markup, escape
from flask_login import LoginManager, current_user, login_required
from flask_wtf.csrf import CSRFProtect

from processes import board, directories, fields, sessions, statuses
from processes.analytics.catalogue import REFUSED
from processes.models import DEAL_ROLES
from web import i18n
from web.domain_messages import reason_text

login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(session_secret):
    """The user of the cookie's login session while it lives (see processes.sessions), else None."""
    return sessions.resume(session_secret, idle=current_app.permanent_session_lifetime)


def roles_required(*roles):
    """Let only these roles in; anyone else gets the 403 page, not a hidden link."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def _header():
    """The header's counter of my open tasks and the quick-create form's choices."""
    if not current_user.is_authenticated:
        return {}
    if "header" not in g:
        from tasks import decisions
        can_create = current_user.role in DEAL_ROLES
        g.header = {"my_task_count": my_task_badge(), "can_create": can_create,
                    "decision_count": decisions.count_waiting(current_user),
                    "quick_sources": choices().sources if can_create else []}
    return g.header


BADGE_CAP = 100  # the header counts «Мои задачи» up to this many and shows «99+» from there


def my_task_badge():
    """The header's «Мои задачи» badge: the count, «99+» from a hundred."""
    from tasks import inbox
    count = g.get("my_task_total")  # «Мои задачи» itself counted them all: the same number, not counted again
    if count is None:
        count = inbox.count_my_tasks(current_user, cap=BADGE_CAP)
    return f"{BADGE_CAP - 1}+" if count >= BADGE_CAP else str(count)


def choices():
    """What the pickers offer (``processes.directories.choices``), read once per request: the header's quick-create
    form, the filters and the move dialogs share them."""
    if "choices" not in g:
        g.choices = directories.choices()
    return g.choices


class RowTexts:
    """What every row of a page of deals says alike (journal rows, kanban cards), looked up once per request:
    flask_babel finds its translations anew on every call, which, per row, was a third of a board's time."""

    def __init__(self):
        self.ungettext = get_translations().ungettext  # ``ungettext(...) % variables`` is what ngettext does
        self.reader = i18n.reader_language()
        self.deal_url = url_for("deals.view", number=0)[:-1]  # + a deal's number
        self._rot_title = escape(_("No activity for longer than this status allows"))
        self._rot = {}

    def rot_mark(self, days):
        """The «простой N дней» mark of a deal idle ``days`` days (``processes.rotting.idle_days``)."""
        if days not in self._rot:
            text = escape(self.ungettext("idle %(num)d day", "idle %(num)d days", days) % {"num": days})
            self._rot[days] = Markup(f'<span class="rot-mark" title="{self._rot_title}">{text}</span>')
        return self._rot[days]


def row_texts():
    if "row_texts" not in g:
        g.row_texts = RowTexts()
    return g.row_texts


def format_time(value):
    """A stored (UTC) time as dd.MM.yyyy HH:mm in the reader's zone (the pattern has no words: strftime will do)."""
    return to_user_timezone(value).strftime("%d.%m.%Y %H:%M") if value else ""


def page_number(name="page"):
    """A page number from the query string: the first page for a missing, bad or too small one."""
    return max(1, request.args.get(name, 1, type=int))


def url_with(**changes):
    """The current page's URL with some query arguments changed (None drops one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})
_SPECIAL = re.compile("[&<>\"']")


def escape_text(text):
    """``markupsafe.escape(text)`` as a plain string, for HTML built in Python: a text without a character to
    escape (most names) is returned as it is, in a third of the time (a board escapes two for each of its cards)."""
    return text.translate(_ESCAPES) if _SPECIAL.search(text) else text


def money(value, language=None):
    """A budget as people write it: 1 500 000,00 ₽ in Russian, 1,500,000.00 ₽ in English."""
    if value is None:
        return "—"
    text = f"{value:,.2f}"
    if (language or i18n.reader_language()) == "ru":  # plain formatting: the board formats hundreds of these per page
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text + "\u00a0₽"


def datetime_input(value):
    """A stored (UTC) time as a datetime-local input shows it: the wall-clock time people typed."""
    return fields.to_local(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def init_app(app):
    """Bind the UI's extensions and register its blueprints on app."""
    from web.auth import bp as auth_bp
    from web.deals import bp as deals_bp
    from web.directories import bp as directories_bp
    from web.journal import bp as journal_bp
    from web.kanban import bp as kanban_bp
    from web.tasks import bp as tasks_bp
    from web.contacts import bp as contacts_bp

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    i18n.init_app(app)
    # The JSON API authenticates with bearer tokens, not cookies: no CSRF there.
    if "api" in app.blueprints:
        csrf.exempt(app.blueprints["api"])
    for bp in (auth_bp, journal_bp, kanban_bp, deals_bp, tasks_bp, directories_bp, contacts_bp):
        app.register_blueprint(bp)
    from web.journal.cells import journal_row
    from web.kanban.cards import render_cards
    app.jinja_env.globals.update(url_with=url_with, get_locale=get_locale, status_label=statuses.label_of,
                                 kanban_cards=render_cards, journal_row=journal_row)
    app.jinja_env.filters.update(reason=reason_text, money=money, days_in_status=board.days_in_status, datetime_input=datetime_input,
                                 decimal=lambda value, digits=1: format_decimal(round(value, digits),
                                                                                format=f"0.{'0' * digits}"),
                                 datetime=format_time)
    # The move dialogs (card, board) offer «Причины отказа»: read when a dialog is drawn, not on every page.
    app.jinja_env.globals.update(refusal_choices=lambda: choices().reasons, refusal_status=REFUSED)
    app.context_processor(lambda: {**_header(), "languages": i18n.LANGUAGES,
                                   "request_path": request.full_path.rstrip("?")})
