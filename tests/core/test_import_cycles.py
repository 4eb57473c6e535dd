"""No two product modules import each other, directly or round a longer loop. Every import counts:
at the top, inside functions (deferred) and under `if TYPE_CHECKING:`, because each of them still
ties the two modules together for a reader and for a type checker."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import infoview

def product_modules() -> dict[str, Path]:
    """Every module of the installed `infoview` package, imported once (so each must import
    cleanly), with its source file."""
    found = {"infoview": Path(infoview.__file__)}
    for info in pkgutil.walk_packages(infoview.__path__, "infoview."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None and spec.origin is not None, info.name
        if not info.name.endswith(".__main__"):   # importing it would run the CLI
            importlib.import_module(info.name)
        found[info.name] = Path(spec.origin)
    return found


def imported_by(name: str, path: Path, modules: set[str]) -> set[str]:
    """The product modules `name` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            source = ".".join(part for part in (base, node.module or "") if part)
            # `from pkg import name` imports the submodule pkg.name when there is one, else pkg itself
            out.update(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                       for alias in node.names)
    return {m for m in out if m in modules and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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


def import_graph() -> dict[str, set[str]]:
    modules = product_modules()
    return {name: imported_by(name, path, set(modules)) for name, path in modules.items()}


def test_no_import_cycles_among_product_modules() -> None:
    graph = import_graph()
    loops = [" <-> ".join(c) + ": " + ", ".join(f"{a} imports {b}" for a in c for b in sorted(graph[a]) if b in c)
             for c in cycles(graph)]
    assert not loops, "import cycles:\n" + "\n".join(loops)


def test_the_checker_sees_deferred_and_type_checking_imports(tmp_path: Path) -> None:
    source = tmp_path / "b.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import X\n"
                      "def f():\n    from . import c\n    import infoview.d\n", encoding="utf-8")
    modules = {"infoview.a", "infoview.b", "infoview.c", "infoview.d"}
    assert imported_by("infoview.b", source, modules) == {"infoview.a", "infoview.c", "infoview.d"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
