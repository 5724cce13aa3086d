"""Addresses of a header read right: split by the library first, display names decoded after.

Decoding a header before splitting it loses addresses: an encoded word may carry a comma or a
semicolon (``=?utf-8?b?…?=`` of «ООО Ромашка, отдел закупок», or a Q word with a literal comma),
which then reads as a separator. So the raw header is unfolded, each encoded word is kept whole
behind a placeholder while ``email.utils.getaddresses`` splits it, and only then is each display
name decoded (RFC 2047 words; raw 8-bit bytes through the charset fallbacks).
"""
import re
from email.utils import getaddresses

from mail.charsets import decode_bytes, decode_header_value

# An RFC 2047 encoded word: no whitespace or '?' inside its text (a literal comma is tolerated).
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_HOLE = re.compile("\ue000(\\d+)\ue001")  # private-use characters: no mailer writes them
_SURROGATE = re.compile("[\udc80-\udcff]")


def raw_header(obj, name):
    """A header's raw text as the parser kept it (8-bit bytes as surrogates), unfolded; '' when absent."""
    for key, value in obj.raw_items():
        if key.lower() == name.lower():
            return "".join(str(value).splitlines())
    return ""


def display_name(text):
    """A display name as read: encoded words decoded, raw 8-bit bytes recovered, quotes and spaces trimmed."""
    if _SURROGATE.search(text):
        text = decode_bytes(text.encode("utf-8", "surrogateescape"))
    text = decode_header_value(text).strip()
    if len(text) > 1 and text[0] == text[-1] == '"':  # quotes written inside an encoded word
        text = text[1:-1].strip()
    return text


def addresses(value):
    """[(display name, address)] of an address header's raw value, in order; entries without '@' skipped."""
    words = []

    def hide(match):
        words.append(match.group(0))
        return f"\ue000{len(words) - 1}\ue001"

    def restore(text):
        return _HOLE.sub(lambda match: words[int(match.group(1))], text)

    found = []
    for name, address in getaddresses([ENCODED_WORD.sub(hide, value or "")]):
        address = restore(address).strip()
        if "@" in address:
            found.append((display_name(restore(name)), address.lower()))
    return found


def sender(obj):
    """(display name, address) of a letter's From, or ('', '')."""
    found = addresses(raw_header(obj, "From"))
    return found[0] if found else ("", "")
