"""Layers point one way: the project's modules import each other without a cycle.

The graph comes from the syntax trees of the project's own modules (not
from importing them), so a lazy import inside a function counts too: it is
still a dependency, and a cycle hidden behind one is still a cycle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("grader", "utilities", "scripts", "bench")


def project_modules():
    """``{module name: path}`` of the top-level modules and the packages' modules."""
    paths = list(ROOT.glob("*.py"))
    for package in PACKAGES:
        paths += (ROOT / package).rglob("*.py")
    modules = {}
    for path in paths:
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _imported(node, module, is_package, modules):
    """The project modules an import statement depends on.

    ``from pkg import sub`` depends on the submodule ``pkg.sub`` only, not on
    the code of ``pkg/__init__.py``; ``from pkg import name`` depends on ``pkg``.
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    base = ".".join(p for p in (package if node.level else "", node.module or "") if p)
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
            for alias in node.names]


def import_graph():
    """``{module: set of project modules it imports}``."""
    modules = project_modules()
    graph = {}
    for module, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = _imported(node, module, path.name == "__init__.py", modules)
                targets |= {name for name in names if name in modules and name != module}
        graph[module] = targets
    return graph


def find_cycle(graph):
    """One import cycle as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_finds_a_cycle_when_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_relative_and_lazy_imports():
    graph = import_graph()
    assert {"grader.workspace", "grader.probes"} <= graph["grader.runner"]
    assert "utilities.utils" in graph["grader.probes.nn"]  # imported inside a function


def test_project_imports_have_no_cycle():
    assert find_cycle(import_graph()) is None
