"""Which candidate values satisfy which conditions: routing checked before a diagram is deployed.

The engine knows nothing of what the values mean; a caller (the deal rules in
processes/) names the variable a gateway routes on and the values it may hold,
and learns, for each condition, the values that make it true. Conditions run
in the restricted script engine exactly as a gateway runs them.
"""
from engine.errors import ScriptError
from engine.scripting import RestrictedEnvironment


class Unevaluable(Exception):
    """A condition raised for a candidate value (it needs data the variable alone does not give)."""

    def __init__(self, value, error):
        self.value = value
        self.error = error
        super().__init__(f"{type(error).__name__}: {error}")


def satisfying(condition, variable, values, environment=None):
    """The values among ``values`` for which ``condition`` is true with ``variable`` set to each.

    Raises Unevaluable when the condition fails for some value.
    """
    environment = environment or RestrictedEnvironment()
    found = []
    for value in values:
        try:
            result = environment.evaluate(condition, {variable: value})
        except (Exception, ScriptError) as exc:  # any error a condition raises is the diagram's problem
            raise Unevaluable(value, exc) from None
        if result:
            found.append(value)
    return found


def satisfying_each(conditions, variable, values):
    """{key: values satisfying conditions[key], or an Unevaluable} for a dict of conditions."""
    environment = RestrictedEnvironment()
    result = {}
    for key, condition in conditions.items():
        try:
            result[key] = satisfying(condition, variable, values, environment)
        except Unevaluable as exc:
            result[key] = exc
    return result
