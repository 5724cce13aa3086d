"""Website-request letters: ``Label: value`` (or ``Label - value``) lines of a site's form mailer as deal fields."""
import re
from functools import lru_cache

# Deal field -> labels (case-insensitive); the admin may replace them in the settings.
DEFAULT_LABELS = {
    "contact_name": ["ФИО", "Имя", "Name"],
    "phone": ["Телефон", "Phone"],
    "site_email": ["E-mail", "Email", "Почта"],
    "company": ["Компания", "Организация", "Company"],
    "site_referrer": ["Откуда пришел на сайт", "Страница перехода", "Referrer"],
    "ga_client_id": ["GA_client_ID", "Идентификатор GA", "ga_client_id"],
    "ym_client_id": ["YM_client_ID", "Идентификатор YM", "ym_client_id"],
    "description": ["Комментарий", "Сообщение", "Message"],
}
MIN_LABELS = 2  # one "Name:" line in an ordinary letter is not a form
# After a known label: a colon, or a dash with a space after it (the seed platform's own mailer writes
# «Страница перехода - https://…»). Only the first separator counts: a dash inside the value stays in it.
SEPARATOR = r"(?::|[-\u2013\u2014](?=\s|$))"


def _pattern(labels):
    """The compiled label pattern, once per set of labels (not once per letter)."""
    return _compiled(tuple((field, tuple(names)) for field, names in labels.items()))


@lru_cache(maxsize=16)
def _compiled(labels):
    by_label = {}
    for field, names in labels:
        for name in names:
            by_label[name.strip().lower()] = field
    alternatives = "|".join(re.escape(n) for n in sorted(by_label, key=len, reverse=True) if n)
    return re.compile(rf"^\s*(?P<label>{alternatives})\s*{SEPARATOR}\s?(?P<value>.*)$", re.IGNORECASE), by_label


def parse_site_request(text, labels=None):
    """The form's fields from a letter body, or {} when fewer than two labels are recognised.

    A value runs over the following lines until the next recognised label.
    """
    pattern, by_label = _pattern(labels or DEFAULT_LABELS)
    found, current = {}, None
    for line in (text or "").splitlines():
        match = pattern.match(line)
        if match:
            current = by_label[match.group("label").lower()]
            found.setdefault(current, [])
            found[current].append(match.group("value").strip())
        elif current is not None:
            found[current].append(line.rstrip())
    if len(found) < MIN_LABELS:
        return {}
    return {field: "\n".join(lines).strip() for field, lines in found.items()}
