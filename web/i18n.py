"""Languages of the UI: Russian by default, English on request; catalogs compiled from .po."""
from pathlib import Path

from flask import current_app, has_request_context, request, session
from flask_babel import Babel, get_locale


LANGUAGES = {"ru": "Русский", "en": "English"}
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()


def select_locale():
    """The language chosen in the session, else Russian (the team's language, whatever the browser says).

    A program calling the JSON API has no session: it asks with Accept-Language.
    """
    chosen = session.get("lang")
    if chosen not in LANGUAGES and request.blueprint == "api":
        chosen = request.accept_languages.best_match(LANGUAGES)
    return chosen if chosen in LANGUAGES else current_app.config.get("BABEL_DEFAULT_LOCALE", "ru")


def reader_language():
    """Diagram texts follow the UI's language in a request; elsewhere (commands, the worker) the diagram's own."""
    return str(get_locale()) if has_request_context() else ""


def compile_catalogs(directory=TRANSLATIONS):
    """Compile every messages.po into messages.mo when the .mo is missing or older."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    for po in Path(directory).glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalog)


def init_app(app):
    try:
        compile_catalogs()
    except OSError:  # a read-only install: the catalogs were compiled when it was built
        pass
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS))
