"""The layering the README draws, read from every module's import statements.

Data flows one way: corpus → index → search → web, all reading their settings from
config/. web/ asks search/'s engine contract and never index/ or an engine. The
made-up reports (madeup/) stand on corpus alone; bench and reliability use the layers
they measure, never the tests; only the tests may import anything. Third-party
engines stay in their layer (whoosh and the OpenSearch client in index and in their
own package of search, Flask in web). And no module imports one that imports it back,
directly or through others: imports inside functions count too, since a lazy import
only hides a circle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The packages of ours each package may import. config (the settings table) stands
# below everything; web reads the index only through search/'s engine contract.
MAY_IMPORT = {
    "config": set(),
    "corpus": {"config"},
    "index": {"corpus", "config"},
    "search": {"corpus", "index", "config"},
    "web": {"corpus", "search", "config"},
    "madeup": {"corpus"},
    "cluster": set(),
    "deploy": set(),
    "bench": {"corpus", "index", "search", "madeup", "config", "cluster"},
    "reliability": {"corpus", "index", "madeup", "config", "deploy"},
    "tests": {"corpus", "index", "search", "web", "madeup", "bench", "reliability", "config", "cluster", "deploy"},
}
# Third-party packages and the only packages of ours that may import them.
CONFINED = {"whoosh": {"index", "search", "tests"}, "flask": {"web", "tests"},
            "opensearchpy": {"index", "search", "cluster", "bench", "tests"}}
# Within search/, each engine's library only in its own package: the rest of search/
# (the contract, the query language, the results) is the same for every engine.
ENGINE_PACKAGES = {"whoosh": "search.whoosh", "opensearchpy": "search.opensearch"}
# Circles known and not yet broken: each must still exist (remove it once broken).
KNOWN_CIRCLES: set[frozenset[str]] = set()


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages above."""
    found = {}
    for package in MAY_IMPORT:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(root: Path) -> dict[str, set[str]]:
    """Each module's imports: modules of ours by dotted name (the deepest one named),
    other packages by their top-level name. Every import statement counts, wherever it is."""
    known = modules(root)

    def ours(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                           for alias in node.names]
            else:
                continue
            for target in targets:
                found.add(ours(target) or target.split(".")[0])
        found.discard(name)
    return graph


def circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The groups of modules that reach one another through imports (two or more)."""
    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt in graph and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reached = {name: reach(name) for name in graph}
    return {frozenset({name} | {other for other in reached[name] if name in reached[other]})
            for name in graph if name in reached[name]}


def crossings(graph: dict[str, set[str]]) -> list[str]:
    """Imports that break `MAY_IMPORT` or `CONFINED`, as 'module -> import' lines."""
    wrong = []
    for name, targets in sorted(graph.items()):
        package = name.split(".")[0]
        for target in sorted(targets):
            top = target.split(".")[0]
            if top in MAY_IMPORT and top != package and top not in MAY_IMPORT[package]:
                wrong.append(f"{name} -> {target}")
            if top in CONFINED and package not in CONFINED[top]:
                wrong.append(f"{name} -> {target}")
    return wrong


@pytest.fixture(scope="module")
def graph():
    return imports(ROOT)


def test_each_package_imports_only_the_layers_below_it(graph):
    assert crossings(graph) == []


def test_search_keeps_each_engine_in_its_package(graph):
    """Only search.whoosh imports whoosh and only search.opensearch the OpenSearch client;
    web/ imports neither engine's package (it asks `search.service` and `search.engines`)."""
    wrong = []
    for name, targets in sorted(graph.items()):
        for library, package in ENGINE_PACKAGES.items():
            if name.startswith("search.") and library in targets and not name.startswith(package):
                wrong.append(f"{name} -> {library}")
        if name.startswith("web") and any(t.startswith(("search.whoosh", "search.opensearch")) for t in targets):
            wrong.append(f"{name} -> an engine's package")
    assert wrong == []


def test_no_import_circle_between_modules(graph):
    found = circles(graph)
    assert found - KNOWN_CIRCLES == set(), "new import circles"
    assert KNOWN_CIRCLES - found == set(), "broken now: remove from KNOWN_CIRCLES"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_reading_finds_circles_and_crossings_a_small_tree_has(tmp_path):
    root = _tree(tmp_path, {
        "corpus/__init__.py": "",
        "corpus/a.py": "from corpus import b\n",
        "corpus/b.py": "def f():\n    from corpus.c import g\n",        # lazy: still an edge
        "corpus/c.py": "from . import a\nimport whoosh.index\n",       # relative; whoosh out of place
        "corpus/d.py": "from corpus.a import x\n",                      # reaches the circle, not in it
        "index/__init__.py": "from corpus import d\n",
        "web/x.py": "from tests.helpers import y\n",                    # a layer that may not
    })
    graph = imports(root)
    assert graph["corpus.c"] == {"corpus.a", "whoosh"}
    assert circles(graph) == {frozenset({"corpus.a", "corpus.b", "corpus.c"})}
    assert crossings(graph) == ["corpus.c -> whoosh", "web.x -> tests"]
