"""Print the import graph of Alongside's apps, its cycles, and the imports hidden in functions.

Run it from the repository root (``make import-graph``):

    .venv/bin/python tools/import_graph.py              # the graph, cycles, pairs, hidden imports
    .venv/bin/python tools/import_graph.py --why core accounts   # which modules make that edge

Product code only: tests, migrations and factories' tests are left out, as in the issue that
measured the graph first. The contracts in pyproject.toml ([tool.importlinter]) are what the build
enforces; this script is for seeing the shape and measuring progress.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import grimp

PACKAGE = "alongside"
ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = (".tests", ".migrations")


def is_product(module: str) -> bool:
    return not any(part in module for part in LEFT_OUT) and module.count(".") >= 1


def app_of(module: str) -> str:
    return module.split(".")[1]


def app_edges(graph: grimp.ImportGraph) -> dict[tuple[str, str], list[str]]:
    """Each (importer app, imported app) with the 'module -> module' lines that make it."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for importer in sorted(m for m in graph.modules if is_product(m)):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if not is_product(imported) or app_of(importer) == app_of(imported):
                continue
            edges[(app_of(importer), app_of(imported))].append(f"{importer} -> {imported}")
    return edges


def strongly_connected(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of apps that all reach each other (the cycles)."""
    successors: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        successors[source].append(target)
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = lowlink[node] = len(index)
        stack.append(node)
        for successor in successors[node]:
            if successor not in index:
                visit(successor)
                lowlink[node] = min(lowlink[node], lowlink[successor])
            elif successor in stack:
                lowlink[node] = min(lowlink[node], index[successor])
        if lowlink[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return groups


def hidden_imports() -> Iterator[str]:
    """Imports of another app written inside a function: usually a cycle being dodged."""
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if not is_product(module):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                for name in imported_names(node):
                    parts = name.split(".")
                    if parts[0] == PACKAGE and len(parts) > 1 and parts[1] != app_of(module):
                        yield f"{path.relative_to(ROOT)}:{node.lineno}: {name}"


def imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def report(graph: grimp.ImportGraph) -> None:
    edges = app_edges(graph)
    apps = sorted({app_of(m) for m in graph.modules if is_product(m)})
    print(f"Apps ({len(apps)}): {', '.join(apps)}\n")
    print("Imports between apps (importer -> imported: modules that import):")
    for app in apps:
        targets = sorted((t, len(lines)) for (s, t), lines in edges.items() if s == app)
        shown = ", ".join(f"{target} ({count})" for target, count in targets) or "-"
        print(f"  {app:14} -> {shown}")
    mutual = sorted((s, t) for (s, t) in edges if s < t and (t, s) in edges)
    cycles = strongly_connected(apps, edges)
    hidden = list(hidden_imports())
    print(f"\nCycles (groups of apps that import each other, directly or not): {len(cycles)}")
    for group in cycles:
        print(f"  {len(group)} apps: {', '.join(group)}")
    print(f"\nPairs of apps importing each other directly: {len(mutual)}")
    for source, target in mutual:
        print(f"  {source} <-> {target}")
    print(f"\nImports of another app inside a function: {len(hidden)}")
    for line in hidden:
        print(f"  {line}")
    print(
        f"\nSummary: {len(apps)} apps, {len(edges)} app-to-app edges, {len(cycles)} cycle groups "
        f"(largest {max((len(g) for g in cycles), default=0)} apps), {len(mutual)} mutual pairs, "
        f"{len(hidden)} imports inside functions."
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--why", nargs=2, metavar=("IMPORTER", "IMPORTED"))
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    if arguments.why:
        for line in app_edges(graph).get(tuple(arguments.why), []):  # type: ignore[call-overload]
            print(line)
        return 0
    report(graph)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
