"""What ``index add`` and ``index remove`` did, kept in the cluster for the next build.

The whoosh build keeps them beside its generations (`index.manifest`); a cluster has
no folder every builder shares, so it keeps them in an index of its own,
``<alias>-ledger`` (``ledger.json`` its mapping), tied to no generation:

* ``added:<report id>`` — a report ``index add`` indexed: the report as it was parsed
  (its JSON), the name the next build shows for it (``added/<report id><suffix>``),
  the web address it came from, its original file (when no larger than the settings'
  ``max_file_mb``: a larger file was refused anyway) and when it was added;
* ``removed:<report id>`` — a report ``index remove`` took out.

The next build reads both (`Ledger.added_reports`, `Ledger.removed_ids`): an added
report's original is parsed again with the corpus, as if read last and modified when
it was added (so an add beats the corpus file it replaced, as the later file does, and
a newer parser reads it too, as whoosh's build re-reads its ``added/`` copies); one
whose original was not kept comes back as it was parsed; removed ones are left out. Adding a report again takes it off the removed list; removing one forgets
its add. Each write is refreshed at once, so a build started next sees it.

API: `Ledger(client, alias)` with ``keep_added``, ``remember_removed``,
``added_reports(folder) -> Added``, ``removed_ids()``; `ledger_name(alias)`, `keeps_original`,
`readable_original`.
"""
from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from config.settings import current
from corpus.report import Report
from index.manifest import ADDED
from index.opensearch.reading import scan
from index.reading import Parsed

MAPPING = Path(__file__).with_name("ledger.json")


@dataclass
class Added:
    """The added reports as a build takes them in: the kept originals (files to parse,
    named ``<report id><suffix>``), the reports whose original was not kept (parsed at
    their add), and the web address each came from, by the name the build shows."""

    files: list[Path] = field(default_factory=list)
    parsed: list[Parsed] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)
KIND_ADDED = "added"
KIND_REMOVED = "removed"


def ledger_name(alias: str) -> str:
    return f"{alias}-ledger"


def keeps_original(path: str | Path | None) -> bool:
    """Whether a report's original file is kept: there is one, no larger than the
    settings' ``max_file_mb`` (a larger one was refused by the readers anyway)."""
    try:
        return bool(path) and Path(path).is_file() and Path(path).stat().st_size <= current().max_file_bytes
    except OSError:
        return False


def readable_original(path: str | Path | None) -> bytes | None:
    """A report's original file's bytes when it is kept (`keeps_original`), else None."""
    try:
        return Path(path).read_bytes() if keeps_original(path) else None
    except OSError:
        return None


class Ledger:
    """The ledger of one alias (see the module docstring)."""

    def __init__(self, client, alias: str):
        self.client, self.name = client, ledger_name(alias)

    def _ensure(self) -> None:
        if not self.client.indices.exists(index=self.name):
            # A copy on a second data node when there is one, none on a lone node
            # (one replica there would keep the cluster yellow for good).
            body = {"settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"},
                    "mappings": json.loads(MAPPING.read_text(encoding="utf-8"))}
            self.client.indices.create(index=self.name, body=body)

    def keep_added(self, report_id: str, report: Report, original: str | None, url: str | None,
                   path: str | Path | None) -> None:
        """Remember an added report (`original`: the name its file is kept under), and
        take it off the removed list."""
        self._ensure()
        entry = {"kind": KIND_ADDED, "report_id": report_id, "at": time.time(),
                 "source": f"{ADDED}/{original or report_id}",
                 "report_json": json.dumps(report.to_json(), ensure_ascii=False)}
        content = readable_original(path) if original else None
        if content is not None:
            entry["original"] = original
            entry["content"] = base64.b64encode(content).decode("ascii")
        if url:
            entry["source_url"] = url
        self.client.index(index=self.name, id=f"{KIND_ADDED}:{report_id}", body=entry)
        self.client.delete(index=self.name, id=f"{KIND_REMOVED}:{report_id}", ignore=[404])
        self.client.indices.refresh(index=self.name)

    def remember_removed(self, report_ids) -> None:
        """Remember removed reports, and forget their adds."""
        self._ensure()
        for rid in report_ids:
            self.client.index(index=self.name, id=f"{KIND_REMOVED}:{rid}",
                              body={"kind": KIND_REMOVED, "report_id": rid, "at": time.time()})
            self.client.delete(index=self.name, id=f"{KIND_ADDED}:{rid}", ignore=[404])
        self.client.indices.refresh(index=self.name)

    def _entries(self, kind: str, fields, page: int = 1000):
        """The entries of one kind, a page at a time (none when there is no ledger yet)."""
        if not self.client.indices.exists(index=self.name):
            return
        for hit in scan(self.client, self.name, {"term": {"kind": kind}}, fields, sort_field="report_id", page=page):
            yield hit["_source"]

    def removed_ids(self) -> set[str]:
        """The ids ``index remove`` took out and no ``index add`` brought back."""
        return {entry["report_id"] for entry in self._entries(KIND_REMOVED, ["report_id"])}

    def added_reports(self, folder: Path) -> Added:
        """What the next build takes in of the added reports (`Added`): each kept original
        written into `folder` (the build's, temporary) with the time of its add as its
        modification time — the build parses it again, as whoosh's build parses its
        ``added/`` copies — and, for a report whose original was not kept, its JSON."""
        added = Added()
        for entry in self._entries(KIND_ADDED, True, page=8):
            if entry.get("content") and entry.get("original"):
                path = folder / Path(entry["original"]).name
                path.write_bytes(base64.b64decode(entry["content"]))
                os.utime(path, (float(entry["at"]), float(entry["at"])))
                added.files.append(path)
            else:
                report = Report.from_json(json.loads(entry["report_json"]))
                report.source = entry["source"]
                added.parsed.append(Parsed(path=str(folder / "none"), source=entry["source"],
                                           mtime=float(entry["at"]), order=0, result=report))
            if entry.get("source_url"):
                added.urls[entry["source"]] = entry["source_url"]
        added.files.sort()
        return added
