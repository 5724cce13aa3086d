"""The import direction of the layers: web, mail → tasks → processes → engine → database.

Every module of every package is read with ``ast`` (imports inside functions
count too), so a lower layer reaching up fails here by file and line, and a
face reaching past the domain into the engine fails too.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "processes", "tasks", "web", "mail")
FORBIDDEN = {
    "engine": {"processes", "tasks", "web", "mail"},
    "processes": {"tasks", "web", "mail"},
    "tasks": {"web", "mail"},
    "mail": {"web"},
    "web": set(),
}
# The faces (web, mail) reach the engine only through tasks/ and processes/, except for its neutral
# bottom modules: the database handle and the clock. web/__init__.py, the one place that wires the
# packages together (create_app), configures the engine itself.
FACES = ("web", "mail")
NEUTRAL = {"engine.db", "engine.clock"}
WIRING = {"web/__init__.py"}


def imported_modules(tree):
    """(module, line) of every absolute import in a module; ``from engine import db`` counts as ``engine.db``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.count(".") == 0:
                for alias in node.names:
                    yield f"{node.module}.{alias.name}", node.lineno
            else:
                yield node.module, node.lineno


def imported_roots(tree):
    """(top-level package, line) of every absolute import in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def modules(package):
    return sorted((ROOT / package).rglob("*.py"))


def _imports():
    found = []
    for package in PACKAGES:
        for path in modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for root, line in imported_roots(tree):
                found.append((package, f"{path.relative_to(ROOT)}:{line}", root))
    return found


def test_every_package_has_modules():
    for package in ("engine", "processes", "tasks", "web"):
        assert modules(package), package


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_imports_a_layer_above_it(package):
    wrong = [(where, root) for pkg, where, root in _imports() if pkg == package and root in FORBIDDEN[package]]
    assert wrong == []


def test_only_engine_imports_spiffworkflow():
    wrong = [(where, root) for pkg, where, root in _imports() if root == "SpiffWorkflow" and pkg != "engine"]
    assert wrong == []
    assert any(root == "SpiffWorkflow" for pkg, _, root in _imports() if pkg == "engine")


def test_relative_imports_stay_inside_their_package():
    """A relative import cannot climb out of its package (``from .. import web``)."""
    for package in PACKAGES:
        for path in modules(package):
            depth = len(path.relative_to(ROOT / package).parts) - 1
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level:
                    assert node.level <= depth + 1, f"{path.relative_to(ROOT)}:{node.lineno} climbs out of {package}"


@pytest.mark.parametrize("package", FACES)
def test_faces_do_not_skip_the_domain(package):
    wrong = []
    for path in modules(package):
        where = str(path.relative_to(ROOT))
        if where in WIRING:
            continue
        for module, line in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if module.split(".")[0] == "engine" and ".".join(module.split(".")[:2]) not in NEUTRAL:
                wrong.append((f"{where}:{line}", module))
    assert wrong == []
