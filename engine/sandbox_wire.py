"""What passes between the engine and its sandbox child: tagged JSON in length-prefixed frames.

Never pickle: the child runs untrusted code, and unpickling its reply would
run whatever it chose. JSON carries the values task data holds; the types JSON
lacks travel as ``{"$t": tag, "v": value}`` — datetime, date, time, timedelta,
Decimal, set, frozenset, tuple, bytes, ints too long for decimal text, and
dicts whose keys are not plain strings (or that hold a ``$t`` key themselves).
Anything else (a function, a class, an object) is refused with CannotSend.
"""
import base64
import datetime
import decimal
import json
import struct

HEADER = struct.Struct(">I")
MAX_FRAME = 16 * 1024 * 1024  # a bigger request or reply is refused, not read
_BIG_INT = 10 ** 4000  # Python refuses int <-> decimal text past 4,300 digits; hex has no limit


class CannotSend(ValueError):
    """A value that cannot travel to or from the sandbox."""


def _tag(tag, value):
    return {"$t": tag, "v": value}


def encode(value, depth=0):
    """A JSON-ready structure for a value, tagging what JSON lacks."""
    if depth > 100:
        raise CannotSend("the data is nested more than 100 levels deep")
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return _tag("int", hex(value)) if abs(value) >= _BIG_INT else value
    if isinstance(value, list):
        return [encode(item, depth + 1) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and "$t" not in value:
            return {key: encode(item, depth + 1) for key, item in value.items()}
        return _tag("dict", [[encode(key, depth + 1), encode(item, depth + 1)] for key, item in value.items()])
    if isinstance(value, tuple):
        return _tag("tuple", [encode(item, depth + 1) for item in value])
    if isinstance(value, (set, frozenset)):
        return _tag(type(value).__name__, [encode(item, depth + 1) for item in value])
    if isinstance(value, datetime.datetime):
        return _tag("datetime", value.isoformat())
    if isinstance(value, datetime.date):
        return _tag("date", value.isoformat())
    if isinstance(value, datetime.time):
        return _tag("time", value.isoformat())
    if isinstance(value, datetime.timedelta):
        return _tag("timedelta", [value.days, value.seconds, value.microseconds])
    if isinstance(value, decimal.Decimal):
        return _tag("decimal", str(value))
    if isinstance(value, bytes):
        return _tag("bytes", base64.b64encode(value).decode("ascii"))
    raise CannotSend(f"a value of type {type(value).__name__} cannot be passed to or from a script")


_DECODERS = {
    "int": lambda v: int(v, 16),
    "tuple": tuple,
    "set": set,
    "frozenset": frozenset,
    "dict": dict,
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "timedelta": lambda v: datetime.timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "decimal": decimal.Decimal,
    "bytes": lambda v: base64.b64decode(v.encode("ascii")),
}


def _decode_object(obj):
    tag = obj.get("$t")
    if tag is None or len(obj) != 2 or "v" not in obj:
        return obj
    try:
        return _DECODERS[tag](obj["v"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CannotSend(f"a malformed tagged value {tag!r}") from exc


def dumps(message):
    """A frame (header + UTF-8 JSON) for a message; CannotSend if it is too big or holds odd values."""
    body = json.dumps(encode(message), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise CannotSend(f"the data is larger than {MAX_FRAME // (1024 * 1024)} MB")
    return HEADER.pack(len(body)) + body


def loads(body):
    """The message of a frame's body."""
    return json.loads(body.decode("utf-8"), object_hook=_decode_object)
