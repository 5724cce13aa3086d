"""The admin settings store: JSON values by key; secrets are never read back in clear."""
import json
from urllib.parse import quote, unquote, unquote_plus

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


MASK = "***"


def _password_spans(url):
    """Where a mailbox URL holds a password: ``user:PASSWORD@host`` and ``password=VALUE``, as (start, end, kind).

    Generous on purpose: whatever could be read as a password is covered, even in a URL
    the mailbox parser would refuse, so a stored or mistyped URL never shows one.
    """
    spans = []
    query = url.find("?")
    head_end = len(url) if query < 0 else query
    start = url.find("://")
    start = 0 if start < 0 else start + 3
    at = url.rfind("@", start, head_end)  # the host follows the last @, as urlsplit reads it
    colon = url.find(":", start, at) if at >= 0 else -1
    if colon >= 0:
        spans.append((colon + 1, at, "userinfo"))
    if query >= 0:
        position = query + 1
        for piece in url[query + 1:].split("&"):
            key, sep, _value = piece.partition("=")
            if sep and unquote_plus(key).strip().lower() == "password":
                spans.append((position + len(key) + 1, position + len(piece), "query"))
            position += len(piece) + 1
    return spans


def _replace(url, spans, values):
    for (start, end, _kind), value in sorted(zip(spans, values), key=lambda pair: -pair[0][0]):
        url = url[:start] + value + url[end:]
    return url


def mask_url(url):
    """A mailbox URL with every password hidden (``user:***@`` and ``password=***``), for pages, logs, exports."""
    url = url or ""
    spans = _password_spans(url)
    return _replace(url, spans, [MASK] * len(spans))


def blank_typed_passwords(url):
    """(url, blanked): a refused URL to show back, every password typed in it (not the mask) left empty."""
    url = url or ""
    typed = [span for span in _password_spans(url) if url[span[0]:span[1]] not in ("", MASK)]
    return _replace(url, typed, [""] * len(typed)), bool(typed)


def merge_password(new_url, old_url):
    """Keep the stored password where the admin left the mask (as shown) untouched, in either URL form."""
    new_url, old_url = new_url or "", old_url or ""
    masked = [span for span in _password_spans(new_url) if new_url[span[0]:span[1]] == MASK]
    if not masked:
        return new_url
    old = {kind: old_url[start:end] for start, end, kind in _password_spans(old_url)}
    values = []
    for _start, _end, kind in masked:
        if kind in old:
            values.append(old[kind])
        elif old:  # the admin moved the password to the other form: carry it over, re-encoded
            other_kind, raw = next(iter(old.items()))
            plain = unquote(raw) if other_kind == "userinfo" else unquote_plus(raw)
            values.append(quote(plain, safe=""))
        else:
            values.append("")
    return _replace(new_url, masked, values)
