"""Languages of the UI: Russian by default, English on request; catalogs compiled from .po."""
from pathlib import Path

from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup


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
    """Diagram texts follow the UI's language in a request; elsewhere (commands, the worker) the diagram's own.

    Read once per request: a page asks for it per status label and per amount (Flask-Babel finds its
    context and locale anew on each call, a few µs each, and a journal page made some seventy calls).
    """
    if not has_request_context():
        return ""
    if "language" not in g:
        g.language = str(get_locale())
    return g.language


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
    app.context_processor(page_translations)


def page_translations():
    """A rendered page's ``_``/``gettext``/``ngettext``, bound to the request's translations once.

    Flask-Babel's Jinja callables look the translations up anew on every call (the request's
    context, its locale, the catalog cache: ~12 µs a text, and a page shows dozens); these do what
    Jinja's new-style gettext does with them (autoescape, ``%`` formatting) and shadow the globals
    in the rendered template and what it includes.
    """
    translations = get_translations()

    @pass_context
    def gettext(context, string, **variables):
        text = translations.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"gettext": gettext, "ngettext": ngettext}
