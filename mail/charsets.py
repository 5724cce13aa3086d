"""Decode letter bytes and headers best effort: declared charset, UTF-8, Cyrillic heuristics, a detector."""
import codecs
from email.header import decode_header

from charset_normalizer import from_bytes

# Labels seen in real Russian mail that Python's codec registry does not know.
ALIASES = {"x-cp1251": "cp1251", "win-1251": "cp1251", "win1251": "cp1251", "windows1251": "cp1251",
           "cp-1251": "cp1251", "koi8r": "koi8-r", "x-koi8-r": "koi8-r", "koi8": "koi8-r",
           "unicode-1-1-utf-7": "utf-7", "utf8": "utf-8", "x-unknown": "", "unknown-8bit": "",
           "us-ascii": "ascii", "ansi_x3.4-1968": "ascii"}
CYRILLIC_SINGLE_BYTE = ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic")
LOWER_SHARE = 0.6  # natural Russian text is mostly lower case; mojibake is mostly upper case


def codec_name(label):
    """A Python codec name for a MIME charset label, or '' when unknown."""
    label = (label or "").strip().strip('"').lower()
    label = ALIASES.get(label, label)
    if not label:
        return ""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def lower_share(text):
    """Share of lower-case letters among the Cyrillic letters of text (1.0 when there are none)."""
    cyrillic = [c for c in text if "\u0400" <= c <= "\u04ff"]
    if not cyrillic:
        return 1.0
    return sum(c.islower() for c in cyrillic) / len(cyrillic)


def _try(data, name):
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _best_cyrillic(data):
    decoded = [(lower_share(text), text) for text in (_try(data, n) for n in ("cp1251", "koi8-r")) if text]
    share, text = max(decoded, key=lambda pair: pair[0])
    return text if share >= LOWER_SHARE and any("\u0400" <= c <= "\u04ff" for c in text) else None


def decode_bytes(data, declared=None):
    """Text of bytes: the declared charset strictly, then UTF-8, then Cyrillic guesses, a detector, cp1251."""
    if not data:
        return ""
    name = codec_name(declared)
    if name:
        text = _try(data, name)
        # A Cyrillic single-byte charset decodes anything: check it reads like text.
        if text is not None and (name not in CYRILLIC_SINGLE_BYTE or lower_share(text) >= LOWER_SHARE):
            return text
    text = _try(data, "utf-8")
    if text is not None:
        return text
    text = _best_cyrillic(data)
    if text is not None:
        return text
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1251", errors="replace")


def decode_header_value(value):
    """A header as text: RFC 2047 words decoded, raw 8-bit bytes recovered, folding removed."""
    if value is None:
        return ""
    try:
        parts = decode_header(value)
    except Exception:  # the email package raises assorted errors on broken encoded words
        return " ".join(str(value).split())
    out = []
    for chunk, charset in parts:
        out.append(chunk if isinstance(chunk, str) else decode_bytes(chunk, charset))
    return " ".join("".join(out).split())
