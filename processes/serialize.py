"""Deals as plain dicts: one shape for the API, the exports and the tests."""
import csv
import io
import re

from processes.fields import utc_text
from processes.letters import letter_dict

FIELDS = ("number", "name", "company", "counterparty_id", "counterparty", "budget", "responsible_id",
          "responsible", "created_at", "description", "contact_name", "phone", "sender_email",
          "source_id", "source", "contact_id", "site_email", "site_referrer", "ga_client_id", "ym_client_id",
          "mail_message", "status", "status_label", "stage", "status_changed_at", "version", "expected_close")


class StatusLabels(dict):
    """{status code: the reader's label} of a status model, each label looked up once (a page of deals
    repeats a few statuses; a label is a translation lookup); a code the model lacks reads as itself."""

    def __init__(self, model=None):
        super().__init__()
        self.model = model

    def __missing__(self, code):
        status = self.model.by_code.get(code) if self.model else None
        self[code] = label = status.label if status else code
        return label


def deal_dicts(deals, model=None):
    """Deals as dicts (``deal_dict``), for a list: the status labels are looked up once for all."""
    labels = StatusLabels(model)
    return [deal_dict(deal, labels=labels) for deal in deals]


def deal_dict(deal, model=None, letters=None, labels=None):
    """A deal as a dict; ``letters`` (its Letter rows) adds the correspondence, for reads and exports.

    ``labels``: a ``StatusLabels`` shared by the deals of one list (else one of ``model``'s)."""
    result = _shaped(deal, deal.counterparty.name if deal.counterparty else None,
                     deal.responsible.username if deal.responsible else None,
                     deal.source.name if deal.source else None,
                     labels if labels is not None else StatusLabels(model))
    if letters is not None:
        result["letters"] = [letter_dict(letter) for letter in letters]
    return result


def row_dicts(rows, model=None):
    """Rows of ``processes.journal.search_rows`` (a deal's columns with the names it refers to) as the
    dicts ``deal_dict`` makes of the same deals: a list serialized without loading entities."""
    labels = StatusLabels(model)
    return [_shaped(row, row.counterparty_name, row.responsible_name, row.source_name, labels) for row in rows]


def _shaped(deal, counterparty, responsible, source, labels):
    """The one shape of a deal (an entity or a row of its columns) and the names it refers to."""
    return {
        "number": deal.number,
        "name": deal.name,
        "company": deal.company,
        "counterparty_id": deal.counterparty_id,
        "counterparty": counterparty,
        "budget": str(deal.budget) if deal.budget is not None else None,
        "responsible_id": deal.responsible_id,
        "responsible": responsible,
        "created_at": utc_text(deal.created_at),
        "description": deal.description,
        "contact_name": deal.contact_name,
        "phone": deal.phone,
        "sender_email": deal.sender_email,
        "source_id": deal.source_id,
        "source": source,
        "contact_id": deal.contact_id,  # the primary contact (processes.contacts)
        "site_email": deal.site_email,
        "site_referrer": deal.site_referrer,
        "ga_client_id": deal.ga_client_id,
        "ym_client_id": deal.ym_client_id,
        "mail_message": deal.mail_message,
        "status": deal.status,
        "status_label": labels[deal.status],
        "stage": deal.stage,
        "status_changed_at": utc_text(deal.status_changed_at),
        "version": deal.version,
        "expected_close": deal.expected_close.isoformat() if deal.expected_close else None,
    }


def history_dict(entry):
    return {"at": utc_text(entry.at), "user": entry.user.username if entry.user else None,
            "kind": entry.kind, "from": entry.from_status, "to": entry.to_status, "comment": entry.comment}


_ALWAYS = ("=", "@", "\t", "\r")  # a formula, a function or name (@SUM, @name), a hidden leading control
# After a leading + or -, what a number or a phone is written with: +7 (495) 123-45-67, -5, -1.5 stay as typed.
_NUMBER_OR_PHONE = re.compile(r"[\d\s().,/-]*")


def starts_formula(value):
    """Whether a spreadsheet opening this cell would evaluate it: ``=`` or ``@`` first (or a tab or CR),
    or ``+``/``-`` followed by more than digits, spaces and ``( ) . , / -`` (a call, a reference, ``-1+2``)."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(_ALWAYS):
        return True
    return value[0] in "+-" and len(value) > 1 and not _NUMBER_OR_PHONE.fullmatch(value[1:])


def plain_cell(value):
    """A cell value a spreadsheet shows as text, never runs as a formula (CSV injection); phones kept as typed.

    The one guard of every CSV: the journal's export and ``dealflow deals export`` both write through ``to_csv``.
    """
    return "'" + value if starts_formula(value) else value


def to_csv(rows):
    """Deal dicts as CSV text (UTF-8 with a BOM, so spreadsheet apps read Cyrillic), formulas neutralised.

    Every face's CSV (the journal's export, ``dealflow deals export``) is written here.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else plain_cell(row[k]) for k in FIELDS})
    return out.getvalue()
