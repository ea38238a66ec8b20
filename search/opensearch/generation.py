"""What the site derives from one state of the served generation, kept until it changes.

Every search needs the corpus's agency names (abbreviations and names matched in
the query: `search.query.resolve`), its regions (a region takes in the regions
within it: `search.regions.expand`), each agency's region (the agencies summary) and
the jieba dictionary the build used (queries cut as the text was). Reading them per
search would cost a few aggregations each time; they change only when a build flips
the alias to another index, or ``add``/``remove`` change it in place (which moves
the generation document's ``changed_at``). So a `Generations` keeps one `Generation`
and looks at most every `RECHECK_SECONDS` — with one small ``GET`` of the generation
document through the alias, which says both the index behind it and ``changed_at`` —
whether it must derive them again.

API: `Generations(connection, recheck_seconds)` (``current()``, ``forget()``), `Generation`.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

from opensearchpy.exceptions import NotFoundError, RequestError

from index.analysis import jieba_analyzer
from index.opensearch import mapping as m
from search.service import NoIndex

RECHECK_SECONDS = 2.0
PAGE = 10_000


@dataclass
class Generation:
    """One state of the served index: its name, when it was built and changed, and what
    the site derives from it (filled by `Generations`)."""

    index: str
    built_at: float
    changed_at: float
    words: tuple[str, ...] = ()
    agency_region: dict[str, str] = field(default_factory=dict)   # every agency -> its region
    regions: list[str] = field(default_factory=list)              # every region, sorted
    years: list[int] = field(default_factory=list)                # every year, newest first
    shards: int = 1

    @property
    def agencies(self) -> list[str]:
        """Every agency's name, sorted."""
        return sorted(self.agency_region)

    @cached_property
    def analyzer(self):
        """The build's jieba analyzer (its dictionary: `index.analysis.domain_words`)."""
        analyzer = jieba_analyzer(self.words)
        analyzer.prepare()
        return analyzer


class Generations:
    """The served generation, derived once per state (see the module docstring)."""

    def __init__(self, connection, recheck_seconds: float = RECHECK_SECONDS):
        self.connection = connection
        self.recheck_seconds = recheck_seconds
        self._current: Generation | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Look again at the next call (the index was not found: the alias moved)."""
        with self._lock:
            self._checked = 0.0

    def current(self) -> Generation:
        """The served generation. :raise NoIndex: when the alias names none."""
        now = time.monotonic()
        with self._lock:
            if self._current is not None and now - self._checked < self.recheck_seconds:
                return self._current
        index, about = self._look()
        with self._lock:
            known = self._current
        if known is None or (known.index, known.changed_at) != (index, about["changed_at"]):
            known = self._derive(index, about)
        with self._lock:
            self._current, self._checked = known, time.monotonic()
        return known

    def _look(self) -> tuple[str, dict]:
        client, settings = self.connection.client, self.connection.settings
        try:
            found = client.get(index=settings.opensearch_index, id=m.GENERATION_ID, routing=m.GENERATION_ID,
                               _source_includes=[f"{m.GENERATION}.built_at", f"{m.GENERATION}.changed_at"])
        except NotFoundError as error:
            if "index_not_found" in str(error):
                raise
            found = {"found": False}
        except RequestError as error:     # an alias of several indices: not one generation
            raise NoIndex(f"{settings.opensearch_index!r} at {settings.opensearch_url} is not one index's "
                          f"alias ({error}); build again: the build points it at its new index alone.") from None
        if not found.get("found"):
            raise NoIndex(f"The index behind {settings.opensearch_index!r} at {settings.opensearch_url} "
                          "has no generation document: it was not written by `python -m index build "
                          "--engine opensearch`; build one.")
        return found["_index"], found["_source"][m.GENERATION]

    def _derive(self, index: str, about: dict) -> Generation:
        client = self.connection.client
        words = client.get(index=index, id=m.GENERATION_ID, routing=m.GENERATION_ID,
                           _source_includes=[f"{m.GENERATION}.words"])["_source"][m.GENERATION]["words"]
        generation = Generation(index, float(about["built_at"]), float(about["changed_at"]), tuple(words))
        after = None
        while True:    # every (agency, region) of the report documents, a page at a time
            composite = {"size": PAGE, "sources": [{"agency": {"terms": {"field": m.AGENCY}}},
                                                   {"region": {"terms": {"field": m.REGION}}}]}
            if after:
                composite["after"] = after
            answer = client.search(index=index, body={
                "size": 0, "query": {"term": {m.KIND: m.KIND_REPORT}},
                "aggs": {"pairs": {"composite": composite},
                         **({} if after else {"years": {"terms": {"field": m.YEAR, "size": 1000}}})}})
            pairs = answer["aggregations"]["pairs"]
            for bucket in pairs["buckets"]:
                generation.agency_region.setdefault(bucket["key"]["agency"], bucket["key"]["region"])
            if not after:
                generation.years = sorted((int(b["key"]) for b in answer["aggregations"]["years"]["buckets"]),
                                          reverse=True)
            after = pairs.get("after_key")
            if not pairs["buckets"] or after is None:
                break
        generation.regions = sorted(set(generation.agency_region.values()))
        settings = client.indices.get_settings(index=index, name="index.number_of_shards")
        generation.shards = int(settings[index]["settings"]["index"]["number_of_shards"])
        return generation
