"""The ``mail-inbox-crm`` mailbox URL: imap[s]://host[:port]?username=…&password=…&delete=…&unseen=…&delay=…

The credentials may also come as userinfo, ``imaps://user:password@host?…`` (the query wins when both are
given); ``processes.settings.mask_url`` hides the password in either place, and nothing here echoes it.
"""
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, unquote, urlsplit

from processes import fields
from processes.errors import ValidationError

SETTING = "mail-inbox-crm"
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
