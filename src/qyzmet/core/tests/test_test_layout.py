"""Tests share helpers through helper modules, never through each other (issue 14, item 8).

A test module (``tests/test_*.py``) is collected by pytest; importing one from another runs
its module-level code twice, makes its tests' names a public interface, and pulls a
fixture into a module where pytest never looked for it. What tests share lives in
``qyzmet/testing.py`` (across apps), in ``<app>/tests/conftest.py`` (fixtures) or in a helper
module of the app's tests without the ``test_`` prefix (``office/tests/desk.py``,
``portal/tests/browser.py``…) — docs/testing.md."""

import ast
from pathlib import Path

import qyzmet

PACKAGE = Path(qyzmet.__file__).parent


def _is_test_module(name: str) -> bool:
    return name.rpartition(".")[2].startswith("test_")


def imports_of_test_modules(path: Path) -> list[str]:
    """``path``'s imports (absolute or relative, anywhere in the module) that name a
    ``test_*`` module, as "line: module"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            # ``from . import test_x`` names the module in the alias; ``from .test_x import y``
            # in ``module``.
            names = [module] if module else [alias.name for alias in node.names]
            names += [f"{module}.{alias.name}" for alias in node.names if module]
            names = [("." * node.level) + name for name in names]
        else:
            continue
        if any(_is_test_module(part) for name in names for part in name.lstrip(".").split(".")):
            shown = names[0] if names else ""
            found.append(f"{node.lineno}: {shown}")
    return found


def test_no_test_module_imports_another():
    offenders = {
        str(path.relative_to(PACKAGE)): found
        for path in [
            *sorted(PACKAGE.rglob("tests/**/*.py")),
            PACKAGE / "conftest.py",
            PACKAGE / "testing.py",
        ]
        if (found := imports_of_test_modules(path))
    }
    assert offenders == {}


def test_the_check_sees_absolute_and_relative_imports(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text(
        "from .test_other import helper\n"
        "from qyzmet.portal.tests.test_browser import sign_up_in_browser\n"
        "from . import test_third\n"
        "import qyzmet.eds.tests.test_demo_pki\n"
        "def later():\n"
        "    from .test_fourth import x\n"
        "from .conftest import fixture\n"
        "from qyzmet.testing import CaseBuilder\n"
        "from .desk import Desk\n",
        encoding="utf-8",
    )
    assert [line.partition(":")[0] for line in imports_of_test_modules(module)] == [
        "1",
        "2",
        "3",
        "4",
        "6",
    ]
