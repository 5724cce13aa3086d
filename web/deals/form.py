"""The deal form's sections (the spec's Основное / Контакт / Заявка с сайта) and its choices."""
from flask_babel import lazy_gettext as _l

from web.ui import choices

# (section title, [(field, label, input kind)])
SECTIONS = (
    (_l("Main"), (
        ("company", _l("Company"), "text"),
        ("name", _l("Name"), "text"),
        ("counterparty_id", _l("Counterparty"), "counterparty"),
        ("budget", _l("Budget"), "money"),
        ("expected_close", _l("Expected close date"), "date"),
        ("responsible_id", _l("Responsible"), "responsible"),
        ("created_at", _l("Created"), "datetime"),
        ("description", _l("Description"), "textarea"),
    )),
    (_l("Contact"), (
        ("contact_id", _l("Primary contact"), "contact"),
        ("contact_name", _l("Full name"), "text"),
        ("phone", _l("Phone"), "tel"),
        ("sender_email", _l("Sender's e-mail"), "email"),
        ("source_id", _l("Source"), "source"),
    )),
    (_l("Website request"), (
        ("site_email", _l("E-mail"), "email"),
        ("site_referrer", _l("Came to the site from"), "text"),
        ("ga_client_id", _l("GA identifier"), "text"),
        ("ym_client_id", _l("YM identifier"), "text"),
        ("mail_message", _l("Mail message"), "textarea"),
    )),
)


def form_choices():
    """The sections and the people and sources the form's selects offer."""
    return {
        "sections": SECTIONS,
        "managers": choices().responsibles,
        "sources": choices().sources,
    }
