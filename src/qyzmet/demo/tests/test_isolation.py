"""Demo tooling stays out of production (issue 14, item 7): the demo PKI and its CRL/OCSP/TSA,
the registry, NCALayer and eGov mobile simulators and the demo people live in ``qyzmet.demo``;
no production module imports it at load time, and the few places that reach it do so only
behind the demo setting (each listed here with its reason)."""

import ast
from pathlib import Path

import qyzmet

SOURCE = Path(qyzmet.__file__).resolve().parent

# Where production code may name the demo package, and why; nowhere else. (Nowhere now: the
# site's URLconf no longer mounts the demo PKI's endpoints; they are the demo PKI services'
# own process, `qyzmet demo-services`, URLconf qyzmet.demo.service_urls.)
ALLOWED: dict[str, str] = {}


def _is_test_code(relative: str) -> bool:
    parts = relative.split("/")
    return (
        relative.startswith("demo/")
        or "tests" in parts
        or "migrations" in parts
        or parts[-1] in ("conftest.py", "testing.py")
    )


def _demo_references(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, how) of every import of ``qyzmet.demo`` and every string naming it as a module."""
    found = []
    module_level = {id(node) for node in getattr(tree, "body", [])}
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        if any(name == "qyzmet.demo" or name.startswith("qyzmet.demo.") for name in names):
            found.append((node.lineno, "module" if id(node) in module_level else "function"))
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "include"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith("qyzmet.demo")
        ):
            found.append((node.lineno, "include"))
    return sorted(found)


def test_production_code_imports_no_demo_tooling():
    reached = {}
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if _is_test_code(relative):
            continue
        for line, how in _demo_references(ast.parse(path.read_text(encoding="utf-8"))):
            reached[f"{relative}:{line}"] = (relative, how)
    unexpected = {
        where: how for where, (relative, how) in reached.items() if ALLOWED.get(relative) != how
    }
    assert unexpected == {}
    assert {relative for relative, _how in reached.values()} == set(ALLOWED)


def test_the_scan_sees_imports_and_includes():
    tree = ast.parse(
        "import qyzmet.demo.pki\n"
        "def f():\n    from qyzmet.demo import people\n"
        "urlpatterns = [include('qyzmet.demo.urls')]\n"
        "from qyzmet.eds import gost\n"
    )
    assert _demo_references(tree) == [(1, "module"), (3, "function"), (4, "include")]
