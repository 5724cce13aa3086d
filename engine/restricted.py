"""RestrictedPython compilation and globals, shared by the engine and its sandbox child.

This module imports nothing but RestrictedPython and the standard library: the
sandbox child (``engine/sandbox_child.py``) loads it without SpiffWorkflow,
Flask or SQLAlchemy. Code is compiled by RestrictedPython (which refuses
underscore names and attributes at compile time) and runs with guarded
attribute, item, iteration and write access, no imports and no open/exec/eval.
"""
import builtins as _builtins
import datetime as _datetime
from functools import lru_cache

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safe_builtins,
    safer_getattr,
)

_EXTRA_BUILTINS = {name: getattr(_builtins, name)
                   for name in ("all", "any", "dict", "enumerate", "filter", "list", "map", "max", "min",
                                "reversed", "sum", "sorted", "set", "frozenset")}

_INPLACE_OPS = {
    "+=": lambda a, b: a + b, "-=": lambda a, b: a - b, "*=": lambda a, b: a * b,
    "/=": lambda a, b: a / b, "//=": lambda a, b: a // b, "%=": lambda a, b: a % b,
}


def _inplacevar(op, x, y):
    try:
        return _INPLACE_OPS[op](x, y)
    except KeyError:
        raise SyntaxError(f"operator {op} is not allowed") from None


def restricted_globals():
    """The globals every piece of diagram code runs with: safe builtins, guards, datetime types."""
    builtins = dict(safe_builtins)
    builtins.update(_EXTRA_BUILTINS)
    return {
        "__builtins__": builtins,
        "__name__": "bpmn_script",
        "__metadata__": {},
        "_getattr_": safer_getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": _inplacevar,
        "datetime": _datetime.datetime,
        "date": _datetime.date,
        "timedelta": _datetime.timedelta,
    }


class RestrictedCodeError(SyntaxError):
    """Code that RestrictedPython refuses to compile."""


@lru_cache(maxsize=2048)
def compile_expression(source):
    """Compile an expression in restricted mode or raise RestrictedCodeError."""
    result = compile_restricted_eval(source.strip())
    if result.errors or result.code is None:
        raise RestrictedCodeError("; ".join(result.errors) or "does not compile")
    return result.code


@lru_cache(maxsize=2048)
def compile_script(source):
    """Compile a script in restricted mode or raise RestrictedCodeError."""
    result = compile_restricted_exec(source)
    if result.errors or result.code is None:
        raise RestrictedCodeError("; ".join(result.errors) or "does not compile")
    return result.code


def evaluate(globals_, expression, context, external_context=None):
    """The value of an expression over the task data."""
    scope = dict(globals_)
    scope.update(external_context or {})
    scope.update(context)
    return eval(compile_expression(expression), scope)  # noqa: S307 - restricted bytecode


def execute(globals_, script, context, external_context=None):
    """Run a script over the task data ``context``, changing it in place as SpiffWorkflow's own environment does.

    Names the script deleted leave the data; names it bound join it, except
    callables, the globals, the external context and names starting with ``_``.
    """
    external_context = external_context or {}
    scope = dict(globals_)
    scope.update(external_context)
    scope.update(context)
    exec(compile_script(script), scope)  # noqa: S102 - restricted bytecode
    for name in list(context):
        if name not in scope:
            del context[name]
    for name, value in scope.items():
        if name in globals_ or name in external_context or name.startswith("_"):
            continue
        if callable(value):
            continue
        context[name] = value
    return context
