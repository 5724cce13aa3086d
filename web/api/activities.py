"""A deal's timeline, notes and activities: read the timeline, add a note, plan, finish, reschedule, list."""
from flask import g, jsonify, request

from engine.db import db
from processes import activities, deals, notes
from processes.errors import ValidationError
from processes.fields import FALSE, TRUE, parse_bool, utc_text
from tasks import timeline
from web.api import bp
from web.api.util import json_body, optional_int


def _page_args():
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", timeline.PER_PAGE))
    except ValueError:
        raise ValidationError({"page": "page and per_page are integers"}) from None
    if not 1 <= page <= 100000 or not 1 <= per_page:
        raise ValidationError({"page": "page and per_page are integers"})
    return page, min(per_page, timeline.MAX_PER_PAGE)


@bp.get("/deals/<int:number>/timeline")
def deal_timeline(number):
    page, per_page = _page_args()
    entries, more = timeline.page(deals.get_deal(number), g.api_user, page, per_page)
    return jsonify({"number": number, "entries": [timeline.entry_dict(e) for e in entries], "page": page,
                    "per_page": per_page, "has_more": more})


@bp.post("/deals/<int:number>/notes")
def add_note(number):
    note = notes.add_note(deals.get_deal(number), g.api_user, json_body().get("text"))
    db.session.commit()
    return jsonify({"id": note.id, "text": note.text, "user": g.api_user.username,
                    "at": utc_text(note.created_at)}), 201


@bp.post("/deals/<int:number>/activities")
def plan_activity(number):
    activity = activities.plan(deals.get_deal(number), g.api_user, json_body())
    db.session.commit()
    return jsonify(activities.activity_dict(activity)), 201


@bp.post("/activities/<int:activity_id>/done")
def activity_done(activity_id):
    data = json_body()
    activity = activities.done(activities.get_activity(activity_id), g.api_user, data.get("outcome"),
                               optional_int(data, "version"))
    db.session.commit()
    return jsonify(activities.activity_dict(activity))


@bp.post("/activities/<int:activity_id>/reschedule")
def activity_reschedule(activity_id):
    data = json_body()
    activity = activities.reschedule(activities.get_activity(activity_id), g.api_user, data.get("due_at"),
                                     data.get("comment"), optional_int(data, "version"))
    db.session.commit()
    return jsonify(activities.activity_dict(activity))


def _flag(name):
    value = request.args.get(name, "0").strip().lower()
    if value not in TRUE + FALSE:
        raise ValidationError({name: "1 or 0"})
    return parse_bool(value)


@bp.get("/activities")
def list_activities():
    found = activities.listing(g.api_user, mine=_flag("mine"), overdue=_flag("overdue"))
    return jsonify({"activities": [activities.activity_dict(a) for a in found]})
