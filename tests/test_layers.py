"""The package's layering, read from the source: no import circle, no stage importing a later one.

Data flows read (`sources`) → extract → resolve → load (`neo4j`) → export; the pipeline
(`ingest`) runs them, developer tools and the CLI sit on top. A module may import its own
stage and earlier ones, never a later one, so resolution never reaches back into the
database layer and the models never into a stage. Every `import` counts, including those
inside functions (a lazy import hides a circle from Python, not from a reader).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
# First part of a module's name under `kg` → its stage; stages import only lower numbers.
STAGES: dict[str, int] = {
    # foundation: the models between stages, the closed schema, settings, errors, ids
    "kg": 0, "config": 0, "errors": 0, "ids": 0, "models": 0, "schema": 0,
    "sources": 1,
    "extract": 2,
    "resolve": 3,
    "neo4j": 4,  # load, and the server it loads into
    "export": 5,
    "ingest": 6,  # the pipeline over stages 1-4
    "backfill": 6,  # the same pipeline on Dask, into neo4j-admin import
    "review": 6,  # analysts' corrections: recorded, imported, queued (applied in resolve and neo4j)
    "dev": 7,  # developer tools: the benchmark, the evaluation harness
    "cli": 8,
}


def modules(root: Path = SRC) -> dict[str, Path]:
    """Dotted name → file, for every module of the `kg` package."""
    found = {}
    for path in sorted((root / "kg").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, source: str, known: Mapping[str, Path], *, package: bool) -> set[str]:
    """The `kg` modules a module's source imports (a name imported from a package that is a
    submodule counts as that submodule)."""
    here = name if package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != name}


def import_graph(root: Path = SRC) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports_of(name, path.read_text("utf-8"), known, package=path.name == "__init__.py")
            for name, path in known.items()}


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def backward_imports(graph: Mapping[str, set[str]]) -> Iterator[str]:
    """Imports of a later stage, and modules of no known stage, one line each."""
    for module, imported in sorted(graph.items()):
        if stage_of(module) not in STAGES:
            yield f"{module}: no stage; give `{stage_of(module)}` one in STAGES"
            continue
        for other in sorted(imported):
            later = STAGES.get(stage_of(other), -1) > STAGES[stage_of(module)]
            if later:
                yield f"{module} imports {other}, of a later stage"


def test_no_import_circle() -> None:
    assert circles(import_graph()) == []


def test_no_module_imports_a_later_stage() -> None:
    assert list(backward_imports(import_graph())) == []


def test_resolve_never_reaches_into_the_database_layer() -> None:
    graph = import_graph()
    assert not {m for name, ms in graph.items() if stage_of(name) == "resolve" for m in ms
                if stage_of(m) == "neo4j"}
    assert any(stage_of(m) == "resolve" for m in graph["kg.neo4j.loader"])  # the checks see it


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    package = tmp_path / "kg"
    (package / "resolve").mkdir(parents=True)
    (package / "neo4j").mkdir()
    for init in (package, package / "resolve", package / "neo4j"):
        (init / "__init__.py").write_text("")
    (package / "neo4j" / "loader.py").write_text("from kg.resolve import events\n")
    # A lazy import of a later stage, which also closes a circle.
    (package / "resolve" / "events.py").write_text("def f():\n    from ..neo4j import loader\n")
    graph = import_graph(tmp_path)
    assert graph["kg.neo4j.loader"] == {"kg.resolve.events"}
    assert circles(graph) == [["kg.neo4j.loader", "kg.resolve.events"]]
    assert list(backward_imports(graph)) == [
        "kg.resolve.events imports kg.neo4j.loader, of a later stage"]
    (package / "newstage.py").write_text("")
    assert "kg.newstage: no stage; give `newstage` one in STAGES" in backward_imports(import_graph(tmp_path))
