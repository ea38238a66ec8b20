"""The engine the settings choose, behind the contract (`search.service.ReportsService`).

`open_service(settings)` imports only the chosen engine's package, so a site served
with whoosh never loads the OpenSearch client, and the other way round.
"""
from __future__ import annotations

from config.settings import DEFAULTS, Settings
from search.service import ENGINES, ReportsService


def open_service(settings: Settings = DEFAULTS) -> ReportsService:
    """The engine `settings` choose (``settings.engine``), opened lazily: a missing
    index or an unreachable cluster is reported by the first call, not here."""
    if settings.engine == "whoosh":
        from search.whoosh.service import WhooshService
        return WhooshService(settings)
    if settings.engine == "opensearch":
        from search.opensearch.service import OpenSearchService
        return OpenSearchService(settings)
    raise ValueError(f"unknown engine {settings.engine!r}: choose one of {', '.join(ENGINES)}")
