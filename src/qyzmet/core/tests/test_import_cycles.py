"""No import cycles (issue 14, item 6): not between apps, not between modules. Every import in
the package counts — at the top of a module or inside a function — except in tests and
migrations: an import inside a function is still a dependency, only a later one.

An app offers the others a small public surface and does not import its callers: where a
lower app must reach a higher one (the register starting the process, queueing the portal's
mail) it names it by a setting (``QYZMET_PROCESS_START``, ``QYZMET_STATUS_MAIL_TASK``)."""

import ast
from pathlib import Path

import qyzmet

PACKAGE = Path(qyzmet.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if {"tests", "migrations"} & set(relative.parts) or path.name == "conftest.py":
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                targets.add(submodule if submodule in modules else module)
    return {target for target in targets if target in modules and target != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _app(module: str) -> str | None:
    """``qyzmet.<app>.…`` → the app; the project's own modules (urls, demo…) are no app."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _edges_within(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    return [f"{a} → {b}" for a in component for b in sorted(graph.get(a, ())) if b in component]


def test_no_import_cycle_between_modules():
    graph = _graph()
    assert len(graph) > 100  # the walk found the package
    cycles = _cycles(graph)
    assert cycles == [], [_edges_within(c, graph) for c in cycles]


def test_no_import_cycle_between_apps():
    modules = _graph()
    apps: dict[str, set[str]] = {}
    why: dict[tuple[str, str], str] = {}
    for module, targets in modules.items():
        app = _app(module)
        for target in targets:
            other = _app(target)
            if app and other and other != app:
                apps.setdefault(app, set()).add(other)
                why.setdefault((app, other), f"{module} → {target}")
    assert {"cases", "workflow", "core", "catalog", "portal"} <= set(apps).union(*apps.values())
    cycles = _cycles(apps)
    assert cycles == [], [
        [why[(a, b)] for a in c for b in sorted(apps.get(a, ())) if b in c] for c in cycles
    ]


def test_the_walk_sees_a_cycle():
    """The detector itself: a cycle through a function-level import is found."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
