"""Fails when sibling modules or packages import each other in a cycle (lazy and type-only
imports count too).

A cycle means neither side can be understood, tested or moved without the other; import-linter's
layers contract catches cycles across layers, this catches them inside one. Run by scripts/test.
"""

from __future__ import annotations

import sys

import grimp

ROOTS = ("bot", "handlers", "scheduler", "devtools")


def sibling_cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """Cycles among the direct children of `package` (each child counted with its subpackages)."""
    children = sorted(graph.find_children(package))
    edges = {
        child: {
            other
            for other in children
            if other != child
            and graph.direct_import_exists(importer=child, imported=other, as_packages=True)
        }
        for child in children
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for child in children:
        if child not in state:
            visit(child)
    return cycles


def main() -> int:
    # type-only imports (under TYPE_CHECKING) count too: a loop of types is a loop of knowledge
    graph = grimp.build_graph(*ROOTS, cache_dir=None)
    found = []
    packages = [m for m in graph.modules if m.split(".")[0] in ROOTS and graph.find_children(m)]
    for package in sorted(packages):
        found.extend(sibling_cycles(graph, package))
    for cycle in found:
        print("import cycle: " + " -> ".join(cycle))
    if found:
        return 1
    print(f"no import cycles among siblings in {len(packages)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
