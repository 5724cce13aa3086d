"""Guards on what any request brings, before a view reads it: ids in URLs and NUL characters.

Two classes of bad input used to reach the database and fail there as a 500 on PostgreSQL:
an id past its ``integer`` (``/deals/2147483648``) and a NUL character, which its text cannot
hold (``?q=a%00b``). Both are answered here, once for every view of every face.
"""
from flask import request
from werkzeug.routing import IntegerConverter, ValidationError as NoMatch

from processes.errors import ValidationError
from processes.fields import MAX_ID, NO_NUL, NUL


class IdConverter(IntegerConverter):
    """``<int:…>`` in every URL: 0 to MAX_ID (a longer number matches no route: a 404)."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value):
        if len(value) > len(str(MAX_ID)):  # int() of thousands of digits is refused (and slow) before the range
            raise NoMatch()
        return super().to_python(value)


def _nul_in(value):
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_nul_in(k) or _nul_in(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_nul_in(v) for v in value)
    return False


def refuse_nul():
    """A 422 naming the first place of the request that carries a NUL character."""
    places = [("path", request.path)]
    places += [(key, [key, *request.args.getlist(key)]) for key in request.args]
    places += [(key, [key, *request.form.getlist(key)]) for key in request.form]
    places += [(key, [key, *(f.filename or "" for f in request.files.getlist(key))]) for key in request.files]
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # the json module's own limit, not a ValueError that silent= absorbs
            raise ValidationError({"": "the JSON body is nested too deeply"}) from None
        if isinstance(body, dict):
            places += [(str(key).replace(NUL, ""), [key, value]) for key, value in body.items()]
        else:
            places.append(("", body))
    for name, value in places:
        if _nul_in(value):
            raise ValidationError({name: NO_NUL})


def init_app(app):
    """Install the id converter (before any blueprint adds its routes) and the NUL check."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)
