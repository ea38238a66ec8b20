"""The layers the code's folders promise, checked on the source itself.

web/ talks to the engine contract (`search.service`) and search/'s plain data, never
to an index or an engine: no module under web/ imports index/, whoosh or the
OpenSearch client. search/'s engine-neutral modules (all but its engine packages)
import neither engine either, so each engine stays behind the contract.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_LIBRARIES = ("whoosh", "opensearchpy")


def imported(path: Path) -> set[str]:
    """The modules a file imports (absolute names; relative imports resolved to the package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def offending(folder: Path, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in sorted(folder.rglob("*.py")):
        bad = sorted(name for name in imported(path)
                     if any(name == f or name.startswith(f + ".") for f in forbidden))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_web_imports_nothing_from_index_or_an_engine():
    assert offending(ROOT / "web", ("index", *ENGINE_LIBRARIES, "search.whoosh", "search.opensearch")) == {}


def test_searchs_neutral_modules_import_no_engine():
    neutral = [p for p in (ROOT / "search").glob("*.py")]
    found = {}
    for path in neutral:
        bad = sorted(name for name in imported(path)
                     if any(name == f or name.startswith(f + ".") for f in (*ENGINE_LIBRARIES, "search.whoosh",
                                                                               "search.opensearch")))
        if bad:
            found[path.name] = bad
    # The contract's factory names each engine's package, opened only when chosen.
    assert found == {"service.py": ["search.opensearch.service", "search.whoosh.service"]}


def test_the_check_sees_an_import(tmp_path):
    (tmp_path / "module.py").write_text("import os\nfrom index.store import IndexHandle\n", encoding="utf-8")
    assert imported(tmp_path / "module.py") == {"os", "index.store"}
