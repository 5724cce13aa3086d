"""The journal's cells as HTML, built in Python: fifty rows of several columns were as many Jinja macro
calls, most of the page's time (issue 16). ``journal/_cell.html`` still draws the deal card's few fields:
the two must read alike."""
from flask import current_app, url_for
from jinja2.filters import do_truncate
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from processes import statuses
from web.ui import format_time, money


def cell(deal, key, model, url):
    """One cell's content, as journal/_cell.html's macro draws it."""
    if key == "number":
        return Markup(f'<a href="{url}">{deal.number}</a>')
    if key == "name":
        return Markup(f'<a href="{url}" class="deal-link">{escape(deal.name)}</a>')
    if key == "counterparty":
        return escape(deal.counterparty.name) if deal.counterparty else ""
    if key == "budget":
        return escape(money(deal.budget))
    if key == "responsible":
        return escape(deal.responsible.display_name) if deal.responsible else ""
    if key == "created_at":
        return escape(format_time(deal.created_at))
    if key == "expected_close":
        return deal.expected_close.strftime("%d.%m.%Y") if deal.expected_close else ""
    if key == "source":
        return escape(deal.source.name) if deal.source else ""
    if key in ("description", "mail_message"):
        text = do_truncate(current_app.jinja_env, getattr(deal, key), 120)
        return Markup(f'<span class="clip">{escape(text)}</span>')
    if key == "status":
        status = model.by_code.get(deal.status)
        label = status.label if status is not None else statuses.label_of(deal.status, model)
        return Markup(f'<span class="status status-{escape(deal.status)}">{escape(label)}</span>')
    value = getattr(deal, key)
    return escape(value if value is not None else "None")


def journal_row(deal, columns, model, idle=None):
    """A journal row's ``<td>`` cells: the bulk actions' pick box, then the chosen columns; the first of them
    says how long a rotting deal has been idle (``idle``: {deal id: days}, ``processes.rotting.idle_days``)."""
    url = url_for("deals.view", number=deal.number)
    pick = ('<td class="col-pick"><input type="checkbox" name="numbers" value="{0}" form="bulk-form" '
            'aria-label="{1}"></td>').format(deal.number, escape(_("Tick deal %(number)s", number=deal.number)))
    days = (idle or {}).get(deal.id)
    rot = "" if days is None else ' <span class="rot-mark" title="{}">{}</span>'.format(
        escape(_("No activity for longer than this status allows")),
        escape(ngettext("idle %(num)d day", "idle %(num)d days", days)))
    return Markup(pick + "".join(f'<td class="col-{c.key}">{cell(deal, c.key, model, url)}{rot if i == 0 else ""}</td>'
                                 for i, c in enumerate(columns)))
