"""The ``mail-inbox-crm`` mailbox URL: imap[s]://host[:port]?username=…&password=…&delete=…&unseen=…&delay=…

The credentials may also come as userinfo, ``imaps://user:password@host?…`` (the query wins when both are
given); ``mask_url`` hides the password in either place, and nothing here echoes it.
"""
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, unquote, unquote_plus, urlsplit

from processes import fields, settings
from processes.errors import ValidationError

SETTING = settings.MAILBOX
MIN_DELAY = 1.0  # seconds: a tighter loop only hammers the server
DEFAULT_DELAY = 60.0
_DELAY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,40}$")
_KNOWN = {"username", "password", "delete", "unseen", "delay", "starttls", "folder", "moveTo",
          "quarantine"}


@dataclass(frozen=True)
class Mailbox:
    """Where and how to read letters; ``password`` stays out of repr and of ``masked``."""

    host: str
    port: int
    username: str
    password: str = field(repr=False)
    ssl: bool = True
    starttls: bool = False
    folder: str = "INBOX"
    move_to: str = ""
    delete: bool = False
    unseen: bool = True
    delay: float = DEFAULT_DELAY
    quarantine: str = "Quarantine"
    warnings: tuple = ()

    @property
    def key(self):
        """A stable name of the mailbox for locks and records (no secrets)."""
        return f"{self.username}@{self.host}:{self.port}/{self.folder}"

    @property
    def masked(self):
        """The URL as it may be shown or logged: the password replaced by ***."""
        scheme = "imaps" if self.ssl else "imap"
        query = f"username={quote(self.username)}&password=***&delete={str(self.delete).lower()}" \
                f"&unseen={str(self.unseen).lower()}&delay={int(self.delay * 1000)}"
        if self.starttls:
            query += "&starttls=true"
        if self.folder != "INBOX":
            query += f"&folder={quote(self.folder)}"
        if self.move_to:
            query += f"&moveTo={quote(self.move_to)}"
        return f"{scheme}://{self.host}:{self.port}?{query}"


def parse_delay(text):
    """Seconds between polls and a warning or None: bare numbers are milliseconds as in the spec."""
    match = _DELAY.match(str(text))
    if not match:
        raise ValueError("delay: a number of milliseconds, or with a unit: 500ms, 30s, 5m, 1h")
    number, unit = float(match.group(1)), (match.group(2) or "ms").lower()
    seconds = number * _UNITS[unit]
    if seconds < MIN_DELAY:
        return MIN_DELAY, f"delay {text} is below the floor of {MIN_DELAY:g} s: polling every {MIN_DELAY:g} s"
    return seconds, None


def _flag(query, name, default, errors):
    value = fields.parse_bool(query.get(name, [str(default)])[-1], None)
    if value is None:
        errors[name] = "true or false"
        return default
    return value


def parse_url(url):
    """Parse a mailbox URL into a Mailbox, or raise ValidationError naming each bad part."""
    errors = {}
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("imap", "imaps"):
        raise ValidationError({SETTING: "the URL starts with imaps:// or imap://"})
    query = parse_qs(parts.query, keep_blank_values=True)
    try:
        port = parts.port
    except ValueError:
        errors["port"] = "not a port number"
        port = None
    if not parts.hostname:
        errors["host"] = "required"
    username = query.get("username", [unquote(parts.username or "")])[-1]
    password = query.get("password", [unquote(parts.password or "")])[-1]
    if not username:
        errors["username"] = "required"
    for name in sorted(set(query) - _KNOWN):
        # A name that is no identifier may be the tail of a password (user:pa?ss@host): never echo it.
        if _NAME.match(name):
            errors[name] = "unknown parameter"
        else:
            errors["query"] = "a part that is not name=value; in user:password@host, write ? # / @ as %3F %23 %2F %40"
    options = {name: _flag(query, name, default, errors)
               for name, default in (("delete", False), ("unseen", True), ("starttls", False))}
    delay, warning = DEFAULT_DELAY, None
    try:
        delay, warning = parse_delay(query.get("delay", [str(int(DEFAULT_DELAY * 1000))])[-1])
    except ValueError as exc:
        errors["delay"] = str(exc)
    if errors:
        raise ValidationError({f"{SETTING}.{k}": v for k, v in errors.items()})
    ssl = parts.scheme == "imaps"
    return Mailbox(host=parts.hostname, port=port or (993 if ssl else 143), username=username,
                   password=password, ssl=ssl, starttls=options["starttls"] and not ssl,
                   folder=query.get("folder", ["INBOX"])[-1] or "INBOX",
                   move_to=query.get("moveTo", [""])[-1], delete=options["delete"],
                   unseen=options["unseen"], delay=delay,
                   quarantine=query.get("quarantine", ["Quarantine"])[-1] or "Quarantine",
                   warnings=(warning,) if warning else ())


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
