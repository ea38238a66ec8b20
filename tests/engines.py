"""The same made-up reports built into each engine, for tests of the engine contract.

`ENGINES` lists the engines every contract test runs against; `built_service(engine,
reports, folder)` writes `reports` (plain `corpus.report.Report`s) with that engine's
own build and returns the `search.service.ReportsService` the site would open on it.
A test parametrized over `ENGINES` has one expected answer, computed from the
reports themselves, and both engines must give it.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from index.build import build_from
from index.reading import Parsed
from search.engines import open_service
from search.service import ReportsService
from config.settings import DEFAULTS, Settings

ENGINES = ("whoosh",)


def parsed_reports(reports, folder: Path) -> list[Parsed]:
    """`reports` as the build's parsed files (as if read from `folder`)."""
    return [Parsed(path=str(Path(folder) / "none" / r.source), source=r.source, mtime=0.0, order=i, result=r)
            for i, r in enumerate(reports)]


def built_service(engine: str, reports, folder: Path, **limits) -> ReportsService:
    """`reports` built into `engine` (a whoosh index under `folder`); its service, with
    `limits` (`search.settings.Settings` fields) overriding the defaults."""
    folder = Path(folder)
    if engine == "whoosh":
        build_from(parsed_reports(reports, folder), folder, workers=1)
        return open_service(replace(DEFAULTS, engine="whoosh", index_path=str(folder), **limits))
    raise ValueError(f"unknown engine {engine!r}")


def settings_for(engine: str, folder: Path, **limits) -> Settings:
    return replace(DEFAULTS, engine=engine, index_path=str(folder), **limits)
