"""The same made-up reports built into each engine, for tests of the engine contract.

`ENGINES` lists the engines every contract test runs against (the OpenSearch one
marked ``opensearch``: it needs the run's node, tests/opensearch_nodes.py);
`built_service(engine, reports, folder)` writes `reports` (plain `corpus.report.Report`s)
with that engine's own build and returns the `search.service.ReportsService` the site
would open on it. A test parametrized over `ENGINES` has one expected answer,
computed from the reports themselves, and both engines must give it.

An OpenSearch build writes behind an alias of its own (`alias_for(folder)`), so tests
share the run's node without seeing each other's reports; `forget_aliases()` (called
when the run ends) deletes every index they made.
"""
from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from index.build import build_from
from index.reading import Parsed
from search.engines import open_service
from search.service import ReportsService
from config.settings import DEFAULTS, Settings

ENGINES = ("whoosh", pytest.param("opensearch", marks=pytest.mark.opensearch))
_made: list[tuple[str, str]] = []      # (url, alias) of every OpenSearch index the tests built


def parsed_reports(reports, folder: Path) -> list[Parsed]:
    """`reports` as the build's parsed files (as if read from `folder`)."""
    return [Parsed(path=str(Path(folder) / "none" / r.source), source=r.source, mtime=0.0, order=i, result=r)
            for i, r in enumerate(reports)]


def alias_for(folder: Path) -> str:
    """An alias no other test uses: the folder's name, lower case, and a random tag."""
    name = re.sub(r"[^a-z0-9]+", "-", Path(folder).name.lower()).strip("-")[:60] or "index"
    return f"test-{name}-{secrets.token_hex(3)}"


def opensearch_url() -> str:
    """The run's node (started by tests/conftest.py when a collected test needs it)."""
    from tests.opensearch_nodes import SESSION_NODE

    return SESSION_NODE.url()


def new_alias(folder: Path) -> tuple[str, str]:
    """(url, alias) of an alias no other test uses on the run's node, its indices
    deleted when the run ends (`forget_aliases`)."""
    url, alias = opensearch_url(), alias_for(folder)
    _made.append((url, alias))
    return url, alias


def built_opensearch(reports, folder: Path, parsed: list[Parsed] | None = None,
                     alias: str | None = None, shards: int = 1, workers: int = 1) -> tuple[str, str]:
    """`reports` (or already `parsed` files) built behind `alias` (default: a new one) on
    the run's node, in an index of `shards` primary shards, the documents made on
    `workers` processes: (url, alias)."""
    from index.opensearch.build import Target, build_from as cluster_build_from

    if alias:
        url = opensearch_url()
        _made.append((url, alias))
    else:
        url, alias = new_alias(folder)
    cluster_build_from(parsed if parsed is not None else parsed_reports(reports, folder), Target(url, alias),
                       shards=shards, workers=workers)
    return url, alias


def built_service(engine: str, reports, folder: Path, **limits) -> ReportsService:
    """`reports` built into `engine` (a whoosh index under `folder`, or an alias on the
    run's OpenSearch node); its service, with `limits` (`config.settings.Settings`
    fields) overriding the defaults."""
    folder = Path(folder)
    if engine == "whoosh":
        build_from(parsed_reports(reports, folder), folder, workers=1)
        return open_service(replace(DEFAULTS, engine="whoosh", index_path=str(folder), **limits))
    if engine == "opensearch":
        url, alias = built_opensearch(reports, folder)
        return open_service(settings_for("opensearch", folder, opensearch_url=url, opensearch_index=alias, **limits))
    raise ValueError(f"unknown engine {engine!r}")


def settings_for(engine: str, folder: Path, **limits) -> Settings:
    return replace(DEFAULTS, engine=engine, index_path=str(folder), **limits)


def forget_lock(url: str, alias: str) -> None:
    """Delete the folder of an alias's write lock on this machine (`index.opensearch.build.lock_root`)."""
    from index.opensearch.build import Target, lock_root

    shutil.rmtree(lock_root(Target(url, alias)), ignore_errors=True)


def forget_aliases() -> None:
    """Delete every index (generations and ledger) the tests built on OpenSearch, and the
    folders of their write locks (`forget_lock`)."""
    if not _made:
        return
    from index.opensearch.client import connect

    for url, alias in _made:
        forget_lock(url, alias)
        try:
            connect(url, timeout=30).indices.delete(index=f"{alias}-*", expand_wildcards="all",
                                                     allow_no_indices=True)
        except Exception:  # noqa: BLE001 - a node already stopped keeps nothing
            pass
    _made.clear()
