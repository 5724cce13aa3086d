"""The board's cards as HTML, built in Python: a board shows hundreds, and a Jinja loop with a filter,
a translation and a dozen attribute lookups per card was most of the page's time (issue 16)."""
from flask import url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from markupsafe import Markup, escape

from engine.clock import utcnow
from processes.board import days_in_status
from web.ui import money, page_language

CARD = ('<article class="kcard" data-number="{number}"{mark_attr} data-version="{version}" data-status="{status}"\n'
        '         data-budget="{budget_value}"\n'
        '         data-allowed="{allowed}"{why}{old}>\n'
        '  <div class="kcard-top">\n'
        '    <a href="{url}" class="kcard-number" draggable="false">№ {number}</a>\n'
        '    <span class="kcard-days" title="{days_title}">{days}</span>\n'
        '{rot}'
        '  </div>\n'
        '  <a href="{url}" class="kcard-name" draggable="false">{name}</a>\n'
        '{mark}'
        '{company}'
        '  <div class="kcard-bottom">\n'
        '    <span class="kcard-budget">{budget}</span>\n'
        '    <span class="kcard-owner">{owner}</span>\n'
        '  </div>\n'
        '</article>\n')


def _why_texts():
    """What the board says of a card that moves nowhere, by ``processes.board.Drops.why``."""
    return {"error": _("its process stopped with an error: an analyst retries it from the process dashboard."),
            "final": _("no move leads out of this status."),
            "role": _("your role does not move deals."),
            "another_manager": _("it belongs to another manager."),
            "lane:director": _("in this status the director decides.")}


def render_cards(cards, allowed, why=None, old=None, marks=None, idle=None):
    """The ``<article class="kcard">`` of each deal; ``allowed`` maps a deal id to the statuses it may go to,
    ``why`` to why it moves nowhere, ``old`` to (version, its statuses) of a deal on an older version, ``marks``
    to "overdue" or "no-step" (``processes.board.card_marks``), ``idle`` to the days a rotting deal has been
    idle (``processes.rotting.idle_days``)."""
    why, old, marks, idle = why or {}, old or {}, marks or {}, idle or {}
    rot_title = escape(_("No activity for longer than this status allows"))
    why_texts = _why_texts() if why else {}
    mark_lines = {"overdue": f'  <div class="kcard-mark kcard-mark-overdue">{escape(_("overdue"))}</div>\n',
                  "no-step": f'  <div class="kcard-mark">{escape(_("no next step"))}</div>\n'}
    deal_url = url_for("deals.view", number=0)[:-1]
    days_title, nobody = escape(_("Days in status")), escape(_("nobody"))
    # The page's translations looked up once: flask_babel's gettext finds them anew on every call, which,
    # per card, was a third of the board's time (``_(msgid) % variables`` is what gettext does with them).
    translations = get_translations()
    cannot_move, other_role = _("№ %(number)s cannot be moved: %(why)s"), _("another role works it in this status.")
    day_labels, now, html, reader = {}, utcnow(), [], page_language()
    for deal in cards:
        days = days_in_status(deal, now)
        if days not in day_labels:
            day_labels[days] = escape(translations.ungettext("%(num)d day", "%(num)d days", days) % {"num": days})
        name, company, responsible = deal.name, deal.company, deal.responsible
        mark = marks.get(deal.id)
        reason = why.get(deal.id)
        why_attr = "" if reason is None else ' data-why="{}"'.format(escape(
            cannot_move % {"number": deal.number, "why": why_texts.get(reason) or other_role}))
        version_statuses = old.get(deal.id)
        old_attr = "" if version_statuses is None else ' data-process-version="{}" data-version-statuses="{}"'.format(
            escape(version_statuses[0]), escape(" ".join(version_statuses[1])))
        html.append(CARD.format(
            number=deal.number, mark_attr=f' data-mark="{mark}"' if mark else "", why=why_attr, old=old_attr,
            mark=mark_lines.get(mark, ""), rot="" if deal.id not in idle else
            f'    <span class="rot-mark" title="{rot_title}">'
            f'{escape(translations.ungettext("idle %(num)d day", "idle %(num)d days", idle[deal.id]) % {"num": idle[deal.id]})}'
            '</span>\n', version=deal.version, status=escape(deal.status),
            budget_value=escape(deal.budget if deal.budget is not None else 0),
            allowed=escape(" ".join(allowed.get(deal.id, []))), url=f"{deal_url}{deal.number}",
            days_title=days_title, days=day_labels[days], name=escape(name),
            company=f'  <div class="kcard-company">{escape(company)}</div>\n' if company and company != name else "",
            budget=escape(money(deal.budget, reader)),
            owner=escape(responsible.display_name) if responsible else nobody))
    return Markup("".join(html))
