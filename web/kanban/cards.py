"""The board's cards as HTML, built in Python: a board shows hundreds, and a Jinja loop with a filter,
a translation and a dozen attribute lookups per card was most of the page's time (issue 16)."""
from flask import g
from flask_babel import gettext as _
from markupsafe import Markup, escape

from engine.clock import utcnow
from processes.board import days_in_status
from web.ui import escape_text, money, row_texts


def _why_texts():
    """What the board says of a card that moves nowhere, by ``processes.board.Drops.why``."""
    return {"error": _("its process stopped with an error: an analyst retries it from the process dashboard."),
            "final": _("no move leads out of this status."),
            "role": _("your role does not move deals."),
            "another_manager": _("it belongs to another manager."),
            "lane:director": _("in this status the director decides.")}


class _Texts:
    """What every card of a page says alike, looked up once per request (a board renders its columns' cards
    in a call each): the texts of every page of deals (``web.ui.row_texts``) and the board's own."""

    def __init__(self):
        rows = row_texts()
        self.ungettext, self.reader, self.deal_url, self.rot_mark = (
            rows.ungettext, rows.reader, rows.deal_url, rows.rot_mark)
        self.why = _why_texts()
        self.mark_lines = {"overdue": f'  <div class="kcard-mark kcard-mark-overdue">{escape(_("overdue"))}</div>\n',
                           "no-step": f'  <div class="kcard-mark">{escape(_("no next step"))}</div>\n'}
        self.days_title, self.nobody = escape(_("Days in status")), escape(_("nobody"))
        self.cannot_move = _("№ %(number)s cannot be moved: %(why)s")
        self.other_role = _("another role works it in this status.")
        self.why_parts = {}
        self.days, self.allowed, self.texts = {}, {}, {}

    def escaped(self, text):
        """``escape(text)`` of a text many cards repeat (status codes, owners' names)."""
        if text not in self.texts:
            self.texts[text] = escape(text)
        return self.texts[text]

    def day_label(self, days):
        if days not in self.days:
            self.days[days] = escape(self.ungettext("%(num)d day", "%(num)d days", days) % {"num": days})
        return self.days[days]

    def why_attr(self, number, reason):
        """The ``data-why`` attribute of a card that moves nowhere: escaped once per reason, around the number."""
        if reason not in self.why_parts:
            text = escape(self.cannot_move % {"number": "\0", "why": self.why.get(reason) or self.other_role})
            before, _number, after = text.partition("\0")
            self.why_parts[reason] = (f' data-why="{before}', f'{after}"')
        before, after = self.why_parts[reason]
        return f"{before}{number}{after}"

    def rot(self, days):
        return f"    {self.rot_mark(days)}\n"

    def allowed_attr(self, codes):
        """The ``data-allowed`` attribute of a card that may go to ``codes`` (a tuple, ``board.drop_rules``)."""
        if codes not in self.allowed:
            self.allowed[codes] = escape(" ".join(codes))
        return self.allowed[codes]


def _texts():
    if "kanban_texts" not in g:
        g.kanban_texts = _Texts()
    return g.kanban_texts


def render_cards(cards, allowed, why=None, old=None, marks=None, idle=None):
    """The ``<article class="kcard">`` of each card row (``processes.board.CARD_COLUMNS``); ``allowed`` maps a
    deal id to the statuses it may go to, ``why`` to why it moves nowhere, ``old`` to (version, its statuses) of a
    deal on an older version, ``marks`` to "overdue" or "no-step" (``processes.board.card_marks``), ``idle`` to
    the days a rotting deal has been idle (``processes.rotting.idle_days``)."""
    why, old, marks, idle = why or {}, old or {}, marks or {}, idle or {}
    texts = _texts()
    now, html, reader, deal_url, mark_lines = utcnow(), [], texts.reader, texts.deal_url, texts.mark_lines
    days_title, nobody = texts.days_title, texts.nobody
    # A page's cards repeat their statuses, owners, drops and days: each looked up in its dict first (a method
    # call per card and field was a third of this loop).
    known, allowed_texts, day_labels = texts.texts, texts.allowed, texts.days
    for deal in cards:
        deal_id, number, name, company, owner, budget, status = (
            deal.id, deal.number, deal.name, deal.company, deal.owner, deal.budget, deal.status)
        mark = marks.get(deal_id)
        reason = why.get(deal_id)
        why_attr = "" if reason is None else texts.why_attr(number, reason)
        version_statuses = old.get(deal_id)
        old_attr = "" if version_statuses is None else ' data-process-version="{}" data-version-statuses="{}"'.format(
            escape(version_statuses[0]), escape(" ".join(version_statuses[1])))
        codes = allowed.get(deal_id, ())
        allowed_text = allowed_texts.get(codes)
        if allowed_text is None:
            allowed_text = texts.allowed_attr(codes)
        days = days_in_status(deal, now)
        day_label = day_labels.get(days) or texts.day_label(days)
        status_text = known.get(status) or texts.escaped(status)
        owner_text = nobody if owner is None else (known.get(owner) or texts.escaped(owner))
        # numbers and amounts need no escaping; a status code and an owner's name repeat: escaped once a page.
        # One f-string per card (str.format with keywords parsed a template anew for every card).
        url = f"{deal_url}{number}"
        rot = "" if deal_id not in idle else texts.rot(idle[deal_id])
        mark_attr = f' data-mark="{mark}"' if mark else ""
        company_line = f'  <div class="kcard-company">{escape_text(company)}</div>\n' \
            if company and company != name else ""
        html.append(
            f'<article class="kcard" data-number="{number}"{mark_attr} data-version="{deal.version}" data-status="{status_text}"\n'
            f'         data-budget="{budget if budget is not None else 0}"\n'
            f'         data-allowed="{allowed_text}"{why_attr}{old_attr}>\n'
            f'  <div class="kcard-top">\n'
            f'    <a href="{url}" class="kcard-number" draggable="false">№ {number}</a>\n'
            f'    <span class="kcard-days" title="{days_title}">{day_label}</span>\n'
            f'{rot}'
            f'  </div>\n'
            f'  <a href="{url}" class="kcard-name" draggable="false">{escape_text(name)}</a>\n'
            f'{mark_lines.get(mark, "")}'
            f'{company_line}'
            f'  <div class="kcard-bottom">\n'
            f'    <span class="kcard-budget">{money(budget, reader)}</span>\n'
            f'    <span class="kcard-owner">{owner_text}</span>\n'
            f'  </div>\n'
            f'</article>\n')
    return Markup("".join(html))
