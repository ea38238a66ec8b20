"""The crawl: list pages first, then each report page and its attachments, into DIR.

For each start URL, the column's list pages are read breadth-first (at most
`max_pages`), collecting the links that name an annual report (`corpus.fetch.links`).
Then each report is fetched and saved, and each attachment its page links. A file
saved before is asked for with its validators (If-None-Match / If-Modified-Since);
a 304, or a body whose sha256 equals the saved copy's, leaves the copy untouched.
Every URL dealt with gets its line in ``DIR/manifest.jsonl`` (`corpus.fetch.manifest`),
written every few files and at the end, so an interrupted run keeps what it did.

A failure (404, 5xx after retries, timeout, too large) is recorded and the crawl goes
on; only a start URL that cannot be read is reported as unreachable.
"""
from __future__ import annotations

import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from corpus.fetch import files, manifest, pictures
from corpus.fetch.client import Answer, Client
from corpus.fetch.links import Column, Link, is_attachment, links, names_report, script_pages
from corpus.readers.legacy import LEGACY_SUFFIXES, converter

OUTCOMES = ("new", "updated", "unchanged", "robots", "off-host", "failed")
SAVE_EVERY = 20     # manifest rewrites: every this many URLs, and at the end
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Summary:
    """What a fetch did: counts per outcome, the failures, the unreachable start URLs."""

    out: str
    start_urls: int
    list_pages: int = 0
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)      # (url, sentence)
    unreachable: list[tuple[str, str]] = field(default_factory=list)   # start URLs
    legacy_files: int = 0          # .doc/.wps saved while no converter is installed
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The summary as the command prints it."""
        files_dealt = sum(self.counts[o] for o in OUTCOMES)
        plural = "" if self.start_urls == 1 else "s"
        out = [f"fetch: {self.start_urls} start URL{plural}, {self.list_pages} list pages read, "
               f"{files_dealt} report pages and attachments, {self.seconds:.1f} s, into {self.out}",
               f"  new:                    {self.counts['new']}",
               f"  updated:                {self.counts['updated']}",
               f"  unchanged:              {self.counts['unchanged']}",
               f"  skipped by robots.txt:  {self.counts['robots']}",
               f"  off-host, not fetched:  {self.counts['off-host']}",
               f"  failed:                 {self.counts['failed']}"]
        out += [f"    {url}: {why}" for url, why in self.failures]
        if self.legacy_files:
            out.append(f"  note: {self.legacy_files} legacy Word files (.doc/.wps) were saved but "
                       "LibreOffice is not installed, so the index build will refuse them; "
                       "install libreoffice-writer-nogui to have them converted.")
        out.append(f"  manifest: {Path(self.out) / manifest.MANIFEST}")
        return out


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _is_html(answer_headers: dict, name: str) -> bool:
    content_type = answer_headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in HTML_TYPES or (not content_type and name.endswith((".html", ".htm", ".shtml")))


class Crawl:
    """One run of ``corpus fetch`` into `out`; `run` returns its `Summary`."""

    def __init__(self, client: Client, out: Path, max_pages: int = 100, progress: bool = False):
        self.client, self.out, self.max_pages = client, Path(out), max_pages
        self.entries = manifest.read(self.out)
        self.done: set[str] = set()         # URLs dealt with in this run
        self.summary = Summary(str(self.out), 0)
        self.bar = tqdm(total=0, desc="fetch", unit="page", file=sys.stderr, disable=not progress,
                        leave=False)
        self._unsaved = 0

    def run(self, start_urls: list[str]) -> Summary:
        started = time.monotonic()
        self.summary.start_urls = len(start_urls)
        try:
            for start in start_urls:
                column = Column(start)
                for link in self._list(column):
                    self._report(link, column)
        finally:
            self.bar.close()
            manifest.write(self.out, self.entries)
        if converter() is None:
            self.summary.legacy_files = sum(
                1 for e in self.entries.values()
                if str(e.get("file", "")).lower().endswith(LEGACY_SUFFIXES))
        self.summary.seconds = time.monotonic() - started
        return self.summary

    # --- list pages ------------------------------------------------------------------

    def _list(self, column: Column) -> list[Link]:
        """Read the column's list pages; the report links they hold, in order, each once."""
        queue, queued, read = deque([column.start_url]), {column.start_url}, 0
        reports: dict[str, Link] = {}
        self._queued(1)
        while queue:
            url = queue.popleft()
            answer = self.client.get(url)
            self._record({"url": url, "kind": "list", "status": answer.status,
                          **self._redirect(answer), "fetched_at": _now(),
                          **({"error": answer.error} if answer.error else {})})
            self.bar.update()
            if not answer.ok:
                if url == column.start_url:
                    self.summary.unreachable.append((url, answer.error or f"status {answer.status}"))
                else:
                    self._count("robots" if answer.status == "robots" else "failed", url, answer.error)
                continue
            read += 1
            page_url = answer.final_url or url
            found = links(answer.content, page_url)
            pages = [link.url for link in found if column.is_list_page(link)]
            pages += [u for u in script_pages(answer.content, page_url, self.max_pages)
                      if column.in_folder(u)]
            for page in pages:
                if page not in queued and len(queued) < self.max_pages:
                    queued.add(page)
                    queue.append(page)
                    self._queued(1)
            for link in found:
                if names_report(link) and link.url not in reports and link.url not in queued:
                    reports[link.url] = link
        self.summary.list_pages += read
        self._queued(len(reports))
        return list(reports.values())

    # --- report pages and attachments -------------------------------------------------

    def _report(self, link: Link, column: Column) -> None:
        """Fetch a report page (or a report file linked directly) and its attachments."""
        content, final_url = self._file(link, "report", column)
        if content is None:
            return
        attachments = [a for a in links(content, final_url) if is_attachment(a)]
        attachments = [a for a in attachments if a.url not in self.done]
        self._queued(len(attachments))
        for attachment in attachments:
            self._file(attachment, "attachment", column, page=link.url)

    def _file(self, link: Link, kind: str, column: Column, page: str | None = None):
        """Fetch one file into DIR unless unchanged; record it. (HTML content, its URL)
        for a page to look for attachments in, else (None, "")."""
        url = link.url
        if url in self.done:
            return None, ""
        self.done.add(url)
        entry = {"url": url, "kind": kind, "title": link.text, **({"page": page} if page else {})}
        previous = self.entries.get(url, {})
        kept = {key: previous[key] for key in ("file", "sha256", "etag", "last_modified",
                                               "content_type", "fetched_at") if key in previous}
        saved = self.out / previous["file"] if isinstance(previous.get("file"), str) else None
        have = saved is not None and saved.is_file()
        if not column.on_host(url):
            self._finish({**entry, **kept, "status": "off-host", "outcome": "off-host",
                          "error": "it is on another host than the column."})
            return None, ""
        answer = self.client.get(url, self._validators(previous) if have else {})
        entry.update(status=answer.status, **self._redirect(answer))
        if answer.not_modified and have:
            self._finish({**entry, **kept, "outcome": "unchanged", "fetched_at": _now()})
            content, headers = saved.read_bytes(), {"content-type": kept.get("content_type", "")}
        elif answer.ok:
            content, headers = answer.content, answer.headers
            self._finish({**entry, **self._store(answer, link, previous, have, column, kind)})
        else:
            outcome = answer.status if answer.status in ("robots", "off-host") else "failed"
            error = answer.error or f"the server answered {answer.status} without a saved copy to keep."
            self._finish({**entry, **kept, "outcome": outcome, "error": error})
            return None, ""
        name = kept.get("file") or self.entries[url].get("file", "")
        return (content, answer.final_url or url) if _is_html(headers, name) else (None, "")

    def _store(self, answer: Answer, link: Link, previous: dict, have: bool, column: Column, kind: str) -> dict:
        """Save a 200's body unless the saved copy has the same sha256; the entry's fields.
        A report page is saved with its pictures inside it (`corpus.fetch.pictures`)."""
        digest = files.sha256(answer.content)
        name = previous.get("file") or files.local_name(answer.final_url or answer.url,
                                                        answer.headers, link.text)
        if have and previous.get("sha256") == digest:
            outcome = "unchanged"
        else:
            body = answer.content
            if kind == "report" and _is_html(answer.headers, name):
                body = pictures.inline(body, answer.final_url or answer.url, self.client, column.on_host)
            files.save(self.out, name, body)
            outcome = "updated" if have else "new"
        fields = {"outcome": outcome, "file": name, "sha256": digest, "fetched_at": _now()}
        for key, header in (("etag", "etag"), ("last_modified", "last-modified"),
                            ("content_type", "content-type")):
            if answer.headers.get(header):
                fields[key] = answer.headers[header]
        return fields

    @staticmethod
    def _validators(previous: dict) -> dict:
        headers = {}
        if previous.get("etag"):
            headers["If-None-Match"] = previous["etag"]
        if previous.get("last_modified"):
            headers["If-Modified-Since"] = previous["last_modified"]
        return headers

    @staticmethod
    def _redirect(answer: Answer) -> dict:
        if answer.final_url and answer.final_url != answer.url:
            return {"final_url": answer.final_url}
        return {}

    # --- bookkeeping -----------------------------------------------------------------

    def _finish(self, entry: dict) -> None:
        self._record(entry)
        self._count(entry["outcome"], entry["url"], entry.get("error", ""))
        self.bar.update()

    def _count(self, outcome: str, url: str, error: str) -> None:
        self.summary.counts[outcome] += 1
        if outcome == "failed":
            self.summary.failures.append((url, error))

    def _record(self, entry: dict) -> None:
        self.entries.pop(entry["url"], None)   # a rerun moves the URL to its new place in order
        self.entries[entry["url"]] = entry
        self._unsaved += 1
        if self._unsaved >= SAVE_EVERY:
            manifest.write(self.out, self.entries)
            self._unsaved = 0

    def _queued(self, n: int) -> None:
        if n:
            self.bar.total += n
            self.bar.refresh()
