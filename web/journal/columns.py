"""The journal's columns (the spec's list), their labels and how each cell reads."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class JournalColumn:
    key: str
    label: object
    sort: str | None  # the journal's sort key, None when not sortable


COLUMNS = (
    JournalColumn("number", _l("No."), "number"),
    JournalColumn("name", _l("Name"), "name"),
    JournalColumn("company", _l("Company"), "company"),
    JournalColumn("counterparty", _l("Counterparty"), "counterparty"),
    JournalColumn("budget", _l("Budget"), "budget"),
    JournalColumn("expected_close", _l("Expected close date"), "expected_close"),
    JournalColumn("description", _l("Description"), "description"),
    JournalColumn("contact_name", _l("Full name"), "contact_name"),
    JournalColumn("sender_email", _l("E-mail"), "sender_email"),
    JournalColumn("phone", _l("Phone"), "phone"),
    JournalColumn("responsible", _l("Responsible"), "responsible"),
    JournalColumn("created_at", _l("Created"), "created_at"),
    JournalColumn("source", _l("Source"), "source"),
    JournalColumn("mail_message", _l("Letter"), None),
    JournalColumn("status", _l("Status"), "status"),
)
BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT = ("number", "name", "company", "budget", "contact_name", "responsible", "created_at", "source", "status")
PREFERENCE = "journal.columns"


def chosen(keys):
    """The known columns among keys, in the journal's order; the default set when none."""
    keys = [k for k in (keys or []) if k in BY_KEY]
    if not keys:
        keys = DEFAULT
    return [c for c in COLUMNS if c.key in keys]
