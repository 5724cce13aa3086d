"""The admin settings store: JSON values by key (the mailbox URL is masked by ``mail.mailbox.mask_url``)."""
import json

from engine.db import db
from processes.access import require_role
from processes.settings_models import Setting

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
