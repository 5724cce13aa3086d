"""The journal's filters as they travel in the URL, and the choices the filter form offers."""
from flask import request

from processes import directories, journal, statuses, users

FILTER_KEYS = ("status", "responsible", "source", "q", "created_from", "created_to", "budget_min",
               "budget_max", "archive", "sort")


def filters_from_request():
    """Journal filters from the query string (bookmarkable, shareable)."""
    return journal.parse_filters({k: v for k, v in request.args.lists() if v != [""]})


def filter_args():
    """The current filters as query-string pairs, without page or view."""
    return {k: v for k, v in request.args.lists() if k in FILTER_KEYS and v != [""]}


def filter_options():
    """What the filter form and the board offer: statuses, people and sources."""
    return {
        "model": statuses.current_model(),
        "responsibles": [u for u in users.list_users() if u.role in ("manager", "director", "admin") and u.active],
        "sources": directories.list_sources(),
        "filter_args": filter_args(),
    }
