"""The journal's filters as they travel in the URL, and the choices the filter form offers."""
from flask import g, request
from flask_babel import lazy_gettext as _l

from processes import journal, statuses
from processes.errors import ValidationError
from web.ui import choices

FILTER_KEYS = ("status", "responsible", "source", "q", "created_from", "created_to", "budget_min",
               "budget_max", "archive", "rotting", "sort", "analytics", "from", "to", "counterparty")


def filters_from_request():
    """Journal filters from the query string (bookmarkable, shareable)."""
    return journal.parse_filters({k: v for k, v in request.args.lists() if v != [""]})


# The filter a refused query-string value came from, as the filter bar names it.
FILTER_LABELS = {"created_from": _l("Created from"), "created_to": _l("Created to"), "budget_min": _l("Budget from"),
                 "budget_max": _l("Budget to"), "responsible": _l("Responsible"), "source": _l("Source"),
                 "sort": _l("Sort"), "page": _l("Page"), "per_page": _l("Page size"),
                 "analytics": _l("Analytics"), "from": _l("Period from"), "to": _l("Period to"),
                 "counterparty": _l("Counterparty")}


def filters_or_errors():
    """(filters, {filter label: message}): a value that cannot be read is left out and named, not fatal."""
    args = {k: v for k, v in request.args.lists() if v != [""]}
    try:
        return journal.parse_filters(args), {}
    except ValidationError as exc:
        bad = set(exc.errors) | ({"per_page"} if "page" in exc.errors else set())
        g.refused_filters = bad
        errors = {str(FILTER_LABELS.get(key, key)): message for key, message in exc.errors.items()}
        return journal.parse_filters({k: v for k, v in args.items() if k not in bad}), errors


def filter_args():
    """The current filters as query-string pairs, without page or view."""
    refused = g.get("refused_filters", ())  # left out of this page: not carried to exports or other pages
    return {k: v for k, v in request.args.lists() if k in FILTER_KEYS and v != [""] and k not in refused}


def filter_options():
    """What the filter form and the board offer: statuses, people and sources."""
    return {
        "model": statuses.current_model(),
        "responsibles": choices().responsibles,
        "sources": choices().sources,
        "filter_args": filter_args(),
    }
