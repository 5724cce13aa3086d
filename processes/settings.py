"""The admin settings store: JSON values by key; secrets are never read back in clear."""
import json

from engine.db import db
from processes.access import require_role
from processes.mailstore import Setting

MAILBOX = "mail-inbox-crm"
SITE_LABELS = "mail-site-labels"
SUBJECT_RULES = "mail-subject-rules"
LOOP_GUARD = "mail-loop-guard"

DEFAULTS = {
    MAILBOX: "",
    SITE_LABELS: None,  # None: the mail face's default labels
    SUBJECT_RULES: [["демо", "Запрос демо"], ["прайс", "Прайс"], ["консультац", "Консультация"]],
    LOOP_GUARD: {"letters": 20, "hours": 2},
}


def get(key):
    """The stored value of a setting, else its default."""
    row = db.session.get(Setting, key)
    return DEFAULTS.get(key) if row is None else json.loads(row.value)


def put(key, value, user=None):
    """Store a JSON-clean value (admins only when a user acts)."""
    if user is not None:
        require_role(user, "admin")
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key)
        db.session.add(row)
    row.value = json.dumps(value, ensure_ascii=False)
    db.session.flush()
    return value


def mask_url(url):
    """A URL with its password=… value hidden, for pages, logs and exports."""
    head, sep, query = (url or "").partition("?")
    if not sep:
        return head
    parts = ["password=***" if p.lower().startswith("password=") else p for p in query.split("&")]
    return head + "?" + "&".join(parts)


def merge_password(new_url, old_url):
    """Keep the stored password when the admin leaves password=*** (as shown) untouched."""
    if "password=***" not in (new_url or ""):
        return new_url
    old = [p for p in (old_url or "").partition("?")[2].split("&") if p.lower().startswith("password=")]
    return new_url.replace("password=***", old[0] if old else "password=")
