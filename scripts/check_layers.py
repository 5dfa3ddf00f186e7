#!/usr/bin/env python3
"""Checks the include graph of the header library (design.md, "Layers"):

  1. Nothing below the engine reaches engine/: no header outside the folders that sit on the
     engine (engine/, audit/, insight/, the edges io/ and store/, and the umbrella loyalty.hpp)
     includes a header of engine/, directly or through other headers.
  2. The file-level include graph of include/loyalty has no cycle.

Run with Debian's /usr/bin/python3 (standard library only):
    /usr/bin/python3 scripts/check_layers.py [include/loyalty]
Exits 1 and names the offending include chain or cycle; 0 when both hold.

    /usr/bin/python3 scripts/check_layers.py --reaching core/rounding.hpp [include/loyalty]
prints, one per line, the headers that include the given one, directly or through others (the
header itself included): tests/headers/CMakeLists.txt asks it which headers include Boost's
cpp_int anyway, so that their stand-alone check may start from a precompiled cpp_int.
"""
import re
import sys
from pathlib import Path

# Folders whose headers may use the engine: it orders the steps the folders below it define.
ON_THE_ENGINE = {"engine", "audit", "insight", "io", "store"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"loyalty/([^"]+)"', re.M)


def graph(root: Path) -> dict:
    edges = {}
    for header in sorted(root.rglob("*.hpp")):
        name = header.relative_to(root).as_posix()
        edges[name] = [m for m in INCLUDE.findall(header.read_text(encoding="utf-8"))]
    return edges


def folder(name: str) -> str:
    return name.split("/")[0] if "/" in name else ""


def include_chain(edges: dict, start: str, is_goal):
    """The include chain from `start` (included) to the first header found that is_goal() accepts
    (`start` itself, when it does), or None."""
    seen = {start}
    stack = [(start, [start])]
    while stack:
        node, chain = stack.pop()
        if is_goal(node):
            return chain
        for nxt in edges.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, chain + [nxt]))
    return None


def path_to_engine(edges: dict, start: str):
    """The include chain from `start` to a header of engine/, or None."""
    return include_chain(edges, start, lambda name: folder(name) == "engine")


def find_cycle(edges: dict):
    """One include cycle as a list of headers (first == last), or None."""
    state = {}  # 1: on the current path, 2: done
    path = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, []):
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    sys.setrecursionlimit(10000)
    for node in edges:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def reaching(edges: dict, target: str) -> list:
    """The headers from which `target` is reached by includes (target itself included)."""
    return [name for name in edges if include_chain(edges, name, lambda node: node == target) is not None]


def main() -> int:
    args = sys.argv[1:]
    target = None
    if args[:1] == ["--reaching"] and len(args) >= 2:
        target, args = args[1], args[2:]
    root = Path(args[0] if args else Path(__file__).resolve().parent.parent / "include" / "loyalty")
    edges = graph(root)
    if target is not None:
        if target not in edges:
            print(f"no header {target} under {root}", file=sys.stderr)
            return 1
        print("\n".join(reaching(edges, target)))
        return 0
    if not edges:
        print(f"no headers under {root}")
        return 1
    problems = []
    for name in edges:
        if folder(name) in ON_THE_ENGINE or folder(name) == "":
            continue
        chain = path_to_engine(edges, name)
        if chain:
            problems.append("below the engine, reaches engine/: " + " -> ".join(chain))
    cycle = find_cycle(edges)
    if cycle:
        problems.append("include cycle: " + " -> ".join(cycle))
    for p in problems:
        print(p)
    print(f"{len(edges)} headers: " + ("layers hold" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
