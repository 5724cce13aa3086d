"""The board's cards as HTML, built in Python: a board shows hundreds, and a Jinja loop with a filter,
a translation and a dozen attribute lookups per card was most of the page's time (issue 16)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from engine.clock import utcnow
from processes.board import days_in_status
from web.ui import money, page_language

CARD = ('<article class="kcard" data-number="{number}" data-version="{version}" data-status="{status}"\n'
        '         data-budget="{budget_value}"\n'
        '         data-allowed="{allowed}">\n'
        '  <div class="kcard-top">\n'
        '    <a href="{url}" class="kcard-number" draggable="false">№ {number}</a>\n'
        '    <span class="kcard-days" title="{days_title}">{days}</span>\n'
        '  </div>\n'
        '  <a href="{url}" class="kcard-name" draggable="false">{name}</a>\n'
        '{company}'
        '  <div class="kcard-bottom">\n'
        '    <span class="kcard-budget">{budget}</span>\n'
        '    <span class="kcard-owner">{owner}</span>\n'
        '  </div>\n'
        '</article>\n')


def render_cards(cards, allowed):
    """The ``<article class="kcard">`` of each deal; ``allowed`` maps a deal id to the statuses it may go to."""
    deal_url = url_for("deals.view", number=0)[:-1]
    days_title, nobody = escape(_("Days in status")), escape(_("nobody"))
    day_labels, now, html, reader = {}, utcnow(), [], page_language()
    for deal in cards:
        days = days_in_status(deal, now)
        if days not in day_labels:
            day_labels[days] = escape(ngettext("%(num)d day", "%(num)d days", days))
        name, company, responsible = deal.name, deal.company, deal.responsible
        html.append(CARD.format(
            number=deal.number, version=deal.version, status=escape(deal.status),
            budget_value=escape(deal.budget if deal.budget is not None else 0),
            allowed=escape(" ".join(allowed.get(deal.id, []))), url=f"{deal_url}{deal.number}",
            days_title=days_title, days=day_labels[days], name=escape(name),
            company=f'  <div class="kcard-company">{escape(company)}</div>\n' if company and company != name else "",
            budget=escape(money(deal.budget, reader)),
            owner=escape(responsible.display_name) if responsible else nobody))
    return Markup("".join(html))
