"""A restricted script engine for BPMN scripts, conditions and timer expressions.

SpiffWorkflow runs them with plain ``eval``/``exec`` and full builtins, and its
documented ``safe_globals`` recipe is escapable through
``().__class__.__base__.__subclasses__()``. Here every piece of code is compiled
by RestrictedPython (which refuses underscore names and attributes at compile
time) and run with guarded attribute, item, iteration and write access, no
imports and no open/exec/eval.
"""
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
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("all", "any", "dict", "enumerate", "filter", "list", "map", "max", "min",
                 "reversed", "sum", "sorted", "set", "frozenset")
}

_INPLACE_OPS = {
    "+=": lambda a, b: a + b, "-=": lambda a, b: a - b, "*=": lambda a, b: a * b,
    "/=": lambda a, b: a / b, "//=": lambda a, b: a // b, "%=": lambda a, b: a % b,
}


def _inplacevar(op, x, y):
    try:
        return _INPLACE_OPS[op](x, y)
    except KeyError:
        raise SyntaxError(f"operator {op} is not allowed") from None


def _restricted_globals():
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


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Task-data environment whose code runs under RestrictedPython guards."""

    def __init__(self):
        super().__init__(_restricted_globals())

    def evaluate(self, expression, context, external_context=None):
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return eval(compile_expression(expression), scope)  # noqa: S307 - restricted bytecode

    def execute(self, script, context, external_context=None):
        external_context = external_context or {}
        scope = dict(self.globals)
        scope.update(external_context)
        scope.update(context)
        exec(compile_script(script), scope)  # noqa: S102 - restricted bytecode
        for name in list(context):
            if name not in scope:
                del context[name]
        for name, value in scope.items():
            if name in self.globals or name in external_context or name.startswith("_"):
                continue
            if callable(value):
                continue
            context[name] = value
        return True

    def call_service(self, context, **kwargs):
        raise NotImplementedError("service tasks are not supported")


class RestrictedScriptEngine(PythonScriptEngine):
    """The script engine every dealflow workflow runs with."""

    def __init__(self):
        super().__init__(environment=RestrictedEnvironment())

    def validate(self, expression):
        compile_expression(expression)

    def call_service(self, task, **kwargs):
        # SpiffWorkflow's own error path here references an undefined name.
        raise NotImplementedError("service tasks are not supported")
