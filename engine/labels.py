"""Diagram texts in the reader's language.

An analyst translates a node's or a flow's name with an extension property
``label.<language>`` (a status's stage with ``stage.<language>``); where there
is none, the diagram's own text stands. The face that knows its reader (the
web app, from the user's locale) installs the language with ``read_in``;
commands and the worker show the diagram's own texts.
"""
PREFIXES = ("label.", "stage.")


def _diagram_language():
    return ""


_language = _diagram_language


def read_in(provider):
    """Install a callable giving the reader's language code ('' for the diagram's own texts)."""
    global _language
    _language = provider or _diagram_language


def translations(properties):
    """The translation properties of an element, as hashable (key, text) pairs."""
    return tuple(sorted((k, v) for k, v in properties.items() if k.startswith(PREFIXES) and v))


def localized(text, texts, key="label"):
    """The ``<key>.<language>`` text of ``texts`` (pairs or a dict) for the reader's language, else ``text``."""
    language = _language()
    if not language:
        return text
    return dict(texts).get(f"{key}.{language}") or text
