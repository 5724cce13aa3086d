"""Which diagram code is provably cheap enough to run in-process, without the sandbox.

Most diagram code is a routing condition (``next_status == 'tender'``) or a
flag (``ready = True``). Such code has no loops, calls, comprehensions or
operators that multiply sizes (``*``, ``**``, ``<<``, ``%`` formatting), so
its run time and memory are linear in its length and the data it reads. It
runs in-process as before; everything else goes to the sandbox
(``engine/sandbox.py``), which costs a round trip of ~0.1 ms.

``+`` is allowed (sums, concatenation) but at most ``MAX_ADDITIONS`` times in
one piece of code: ``s = s + s`` repeated doubles a string each time, so a
bound on the count is a bound on the growth (16×). Classification is cached
per source text.
"""
import ast
from functools import lru_cache

MAX_ADDITIONS = 4
MAX_NODES = 400
MAX_CONSTANT = 10 ** 6  # characters of a str constant or digits-ish magnitude of a number

_EXPRESSIONS = (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.IfExp, ast.Name, ast.Constant, ast.Subscript,
                ast.Slice, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.BinOp)
_STATEMENTS = (ast.Assign, ast.AugAssign, ast.If, ast.Pass, ast.Expr)
_CONTEXTS = (ast.Load, ast.Store)
_OPERATORS = (ast.Add, ast.Sub, ast.Div, ast.FloorDiv,  # BinOp / AugAssign
              ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd, ast.Invert,  # BoolOp / UnaryOp
              ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn)
_ADDITIVE = (ast.Add, ast.Sub)


def _constant_ok(node):
    value = node.value
    if isinstance(value, (str, bytes)):
        return len(value) <= MAX_CONSTANT
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= MAX_CONSTANT ** 3
    return value is None or isinstance(value, (bool, float))


@lru_cache(maxsize=4096)
def is_bounded(source, mode):
    """True when code (``mode`` "eval" or "exec") may run in-process: no loops, calls or size multipliers."""
    try:
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    additions = 0
    for count, node in enumerate(ast.walk(tree)):
        if count > MAX_NODES:
            return False
        if isinstance(node, (ast.Module, ast.Expression)) or isinstance(node, _CONTEXTS + _OPERATORS):
            continue
        if isinstance(node, ast.Constant):
            if not _constant_ok(node):
                return False
            continue
        if isinstance(node, (ast.BinOp, ast.AugAssign)):
            if not isinstance(node.op, _OPERATORS):
                return False
            additions += isinstance(node.op, _ADDITIVE)
            if additions > MAX_ADDITIONS:
                return False
            continue
        if isinstance(node, ast.Assign) and not all(isinstance(t, ast.Name) for t in node.targets):
            return False  # unpacking and item stores go through guards: leave them to the sandbox
        if not isinstance(node, _EXPRESSIONS + _STATEMENTS):
            return False
    return True
