"""Small helpers of the API views: JSON bodies and query strings."""
from flask import request

from processes.errors import ValidationError
from processes.fields import parse_id


def json_body():
    """The request's JSON object, or a 422 saying what is wrong with it."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError({"": "the body must be a JSON object"})
    return data


def query_lists():
    return {key: request.args.getlist(key) for key in request.args}


def optional_int(data, name):
    value = data.get(name)
    if value is None:
        return None
    try:
        return parse_id(value)
    except ValueError as exc:
        raise ValidationError({name: str(exc)}) from None
