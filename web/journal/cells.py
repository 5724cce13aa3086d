"""The journal's cells as HTML, built in Python: fifty rows of several columns were as many Jinja macro
calls, most of the page's time (issue 16). ``journal/_cell.html`` still draws the deal card's few fields:
the two must read alike."""
from datetime import timezone
from zoneinfo import ZoneInfo

from flask import current_app, g
from jinja2.filters import do_truncate
from flask_babel import get_timezone, get_translations
from markupsafe import Markup, escape

from processes import statuses
from web.ui import format_time, money, row_texts


def cell(deal, key, model, url):
    """One cell's content of a journal row (``processes.journal.SHOWN``), as journal/_cell.html's macro
    draws it for a deal."""
    if key == "number":
        return Markup(f'<a href="{url}">{deal.number}</a>')
    if key == "name":
        return Markup(f'<a href="{url}" class="deal-link">{escape(deal.name)}</a>')
    if key == "counterparty":
        return escape(deal.counterparty_name) if deal.counterparty_name is not None else ""
    if key == "budget":
        return escape(money(deal.budget))
    if key == "responsible":
        return escape(deal.responsible_display) if deal.responsible_display is not None else ""
    if key == "created_at":
        return escape(format_time(deal.created_at))
    if key == "expected_close":
        return deal.expected_close.strftime("%d.%m.%Y") if deal.expected_close else ""
    if key == "source":
        return escape(deal.source_name) if deal.source_name is not None else ""
    if key in ("description", "mail_message"):
        text = do_truncate(current_app.jinja_env, getattr(deal, key), 120)
        return Markup(f'<span class="clip">{escape(text)}</span>')
    if key == "status":
        status = model.by_code.get(deal.status)
        label = status.label if status is not None else statuses.label_of(deal.status, model)
        return Markup(f'<span class="status status-{escape(deal.status)}">{escape(label)}</span>')
    value = getattr(deal, key)
    return escape(value if value is not None else "None")


class _Page:
    """What every row of a journal page says alike, looked up once per request: the texts of every page of
    deals (``web.ui.row_texts``), the statuses' labels, the pick box's label and the reader's zone."""

    def __init__(self, model):
        self.model = model
        self.texts = row_texts()
        self.labels = {s.code: s.label for s in model.statuses}
        self.tick = get_translations().ugettext("Tick deal %(number)s")
        self.zone = ZoneInfo(str(get_timezone()))  # Flask-Babel's pytz zone, as zoneinfo: a third of the time

    def time(self, value):
        """``format_time`` with the reader's zone looked up once (as ``flask_babel.to_user_timezone`` does)."""
        if not value:
            return ""
        local = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(self.zone)
        return escape(local.strftime("%d.%m.%Y %H:%M"))


def _page(model):
    page = g.get("journal_page")
    if page is None or page.model is not model:
        page = g.journal_page = _Page(model)
    return page


def journal_row(deal, columns, model, idle=None):
    """A journal row's ``<td>`` cells: the bulk actions' pick box, then the chosen columns; the first of them
    says how long a rotting deal has been idle (``idle``: {deal id: days}, ``processes.rotting.idle_days``)."""
    page = _page(model)
    texts = page.texts
    url = f"{texts.deal_url}{deal.number}"
    pick = ('<td class="col-pick"><input type="checkbox" name="numbers" value="{0}" form="bulk-form" '
            'aria-label="{1}"></td>').format(deal.number, escape(page.tick % {"number": deal.number}))
    days = (idle or {}).get(deal.id)
    rot = "" if days is None else f" {texts.rot_mark(days)}"
    cells = [pick]
    for i, c in enumerate(columns):
        key = c.key
        if key == "status":
            label = page.labels.get(deal.status)
            content = (Markup(f'<span class="status status-{escape(deal.status)}">{escape(label)}</span>')
                       if label is not None else cell(deal, key, model, url))
        elif key == "budget":
            content = money(deal.budget, texts.reader)  # digits, spaces and ₽: nothing to escape
        elif key == "created_at":
            content = page.time(deal.created_at)
        else:
            content = cell(deal, key, model, url)
        cells.append(f'<td class="col-{key}">{content}{rot if i == 0 else ""}</td>')
    return Markup("".join(cells))
