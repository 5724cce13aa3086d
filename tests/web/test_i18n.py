"""Every page in Russian (the default) and English; no literal text left untranslated."""
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.web.helpers import make_deal, move

WEB = Path(__file__).resolve().parents[2] / "web"
TEMPLATES = WEB / "templates"
# Text a template may hold literally: marks, numbers, the product name, identifiers and URLs.
ALLOWED_TEXT = re.compile(r"^[\s\d№·→←↑↓—–+:.,()«»₽%/|-]*(dealflow)?$|^[a-z0-9]+(-[a-z0-9]+)+$|^\w+://\S+$")
TRANSLATED_ATTRS = re.compile(r'\b(placeholder|title|aria-label|alt)="(?!\{\{)([^"]*)"')


def _pages(app):
    number = make_deal(app)
    decided = make_deal(app)
    move(app, decided, "decision")
    with app.app_context():
        from tasks import inbox
        from processes import users
        task = inbox.group_tasks(users.get_by_username("director"))[0][0].id
    return ["/v2/journals?journalId=deals-journal", "/v2/journals?journalId=deals-journal&viewMode=kanban",
            f"/deals/{number}", f"/deals/{number}/edit", "/deals/new", "/tasks", "/tasks/group", f"/tasks/{task}",
            "/directories/counterparties", "/directories/counterparties/new", "/directories/sources",
            "/admin/mail", "/admin/users", "/processes/", "/processes/deal/v1", "/processes/deal/v1/dashboard",
            "/processes/assignment/v1/dashboard",
            f"/processes/deal/{number}/diagram", "/assignments"]


def test_every_page_renders_in_both_languages(app, as_user):
    pages = _pages(app)
    client = as_user("admin")
    for lang, word, other in (("ru", "Сделки", "Deals"), ("en", "Deals", "Сделки")):
        client.get(f"/lang/{lang}?next=/tasks")
        for url in pages:
            response = client.get(url)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, (lang, url)
            assert f'<html lang="{lang}">' in html, (lang, url)
            assert word in html and f">{other}<" not in html, (lang, url)
    manager = as_user("manager")
    for lang, not_found, forbidden in (("ru", "не найден", "Доступ запрещён"), ("en", "not found", "Access denied")):
        manager.get(f"/lang/{lang}?next=/tasks")
        missing, refused = manager.get("/deals/999"), manager.get("/admin/mail")
        assert missing.status_code == 404 and not_found in missing.get_data(as_text=True).lower(), lang
        assert refused.status_code == 403 and forbidden.lower() in refused.get_data(as_text=True).lower(), lang
        assert "You don't have the permission" not in refused.get_data(as_text=True), lang  # no stock English
    anonymous = app.test_client()
    assert "Войти" in anonymous.get("/login").get_data(as_text=True)
    anonymous.get("/lang/en?next=/login")
    assert "Log in" in anonymous.get("/login").get_data(as_text=True)


def test_russian_is_the_default_whatever_the_browser_says(app, as_user):
    client = as_user("manager")
    html = client.get("/tasks", headers={"Accept-Language": "en-US,en"}).get_data(as_text=True)
    assert "Мои задачи" in html


def _text_outside_jinja(source):
    source = re.sub(r"\{% block \w*class %\}.*?\{% endblock %\}", " ", source)  # CSS classes, not text
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    return re.sub(r"<[^>]*>", "\n", source).split("\n")


def test_templates_hold_no_literal_text():
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text()
        for line in _text_outside_jinja(source):
            if not ALLOWED_TEXT.match(line.strip()):
                problems.append(f"{path.name}: {line.strip()!r}")
        for attr, value in TRANSLATED_ATTRS.findall(source):
            if value and not ALLOWED_TEXT.match(value):
                problems.append(f"{path.name}: {attr}={value!r}")
    assert not problems, problems


def test_every_message_has_a_russian_translation():
    with open(WEB / "translations" / "ru" / "LC_MESSAGES" / "messages.po", "rb") as source:
        catalog = read_po(source, locale="ru")
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    missing = []
    for _file, _line, message, _comments, _context in extract_from_dir(str(WEB), method_map, keywords=keywords):
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        if entry is None or not entry.string or (not isinstance(entry.string, str) and not all(entry.string)):
            missing.append(key)
    assert not missing, missing
