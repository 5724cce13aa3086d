"""Deals as plain dicts: one shape for the API, the exports and the tests."""
import csv
import io

from processes.fields import utc_text
from processes.letters import letter_dict

FIELDS = ("number", "name", "company", "counterparty_id", "counterparty", "budget", "responsible_id",
          "responsible", "created_at", "description", "contact_name", "phone", "sender_email",
          "source_id", "source", "site_email", "site_referrer", "ga_client_id", "ym_client_id",
          "mail_message", "status", "status_label", "stage", "status_changed_at", "version", "expected_close")


def deal_dict(deal, model=None, letters=None):
    """A deal as a dict; ``letters`` (its Letter rows) adds the correspondence, for reads and exports."""
    status = model.by_code.get(deal.status) if model else None
    result = {
        "number": deal.number,
        "name": deal.name,
        "company": deal.company,
        "counterparty_id": deal.counterparty_id,
        "counterparty": deal.counterparty.name if deal.counterparty else None,
        "budget": str(deal.budget) if deal.budget is not None else None,
        "responsible_id": deal.responsible_id,
        "responsible": deal.responsible.username if deal.responsible else None,
        "created_at": utc_text(deal.created_at),
        "description": deal.description,
        "contact_name": deal.contact_name,
        "phone": deal.phone,
        "sender_email": deal.sender_email,
        "source_id": deal.source_id,
        "source": deal.source.name if deal.source else None,
        "site_email": deal.site_email,
        "site_referrer": deal.site_referrer,
        "ga_client_id": deal.ga_client_id,
        "ym_client_id": deal.ym_client_id,
        "mail_message": deal.mail_message,
        "status": deal.status,
        "status_label": status.label if status else deal.status,
        "stage": deal.stage,
        "status_changed_at": utc_text(deal.status_changed_at),
        "version": deal.version,
        "expected_close": deal.expected_close.isoformat() if deal.expected_close else None,
    }
    if letters is not None:
        result["letters"] = [letter_dict(letter) for letter in letters]
    return result


def history_dict(entry):
    return {"at": utc_text(entry.at), "user": entry.user.username if entry.user else None,
            "kind": entry.kind, "from": entry.from_status, "to": entry.to_status, "comment": entry.comment}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain_cell(value):
    """A cell value a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
