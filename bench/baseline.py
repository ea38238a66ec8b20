"""The baseline a user would pick instead: SQLite FTS5 with the trigram tokenizer.

The same parsed reports go into one SQLite file: a plain table ``sections`` (one row
per report section: report id, agency, region, year, section key, title, text) and an
FTS5 index over its agency, title and text with ``tokenize='trigram'``, which finds
any substring of three characters or more. A query of fewer than three characters
cannot use a trigram index at all, so such words fall back to ``instr()`` over every
row — what anyone using FTS5 for Chinese ends up writing.

`Baseline.search` answers what our search page shows: the total, the top 10
sections with an escaped snippet whose matches are wrapped in ``<mark>``, and counts
for three facets (agency, year, section) with multi-select semantics (a facet's
counts ignore that facet's own filter, as ours do). Query semantics: the words of
the query (split on spaces; ``"…"`` keeps a phrase whole) must all occur, each in the
agency name, the title or the text; filters on agency, region, year and section are
exact. Ranking: FTS5's bm25 when a word is long enough for the index, otherwise
the number of times the first word occurs.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from corpus.report import Report
from index.documents import searchable_text
from index.ids import report_id

TOP = 10
AGENCY_FACET_SIZE = 20      # the agency facet lists its 20 largest values
FACETS = ("agency", "year", "section")
SNIPPET_TOKENS = 24          # FTS5 snippet(): about this many trigrams around a match
SNIPPET_CHARS = 40           # instr() fallback: characters either side of the first match
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"   # placeholders, so the snippet is escaped before marking

SCHEMA = """
CREATE TABLE sections (
    id INTEGER PRIMARY KEY, report_id TEXT, agency TEXT, region TEXT, year INTEGER,
    section TEXT, title TEXT, text TEXT);
CREATE VIRTUAL TABLE fts USING fts5(agency, title, text, content='sections', content_rowid='id',
                                    tokenize='trigram case_sensitive 1');
"""


@dataclass
class BaselineHit:
    report_id: str
    agency: str
    year: int
    section: str
    title: str
    snippet: str


@dataclass
class BaselineResults:
    total: int
    hits: list[BaselineHit] = field(default_factory=list)
    facets: dict[str, list[tuple]] = field(default_factory=dict)   # name -> [(value, count)]


@dataclass
class BuildStats:
    sections: int
    text_bytes: int
    seconds: float
    size_bytes: int


def terms(query: str) -> list[str]:
    """The words of a query: split on whitespace, ``"…"`` kept whole, duplicates dropped."""
    found = [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', query)]
    return list(dict.fromkeys(t.strip('"') for t in found if t.strip('"')))


def build(reports: Iterable[Report], path: str | Path) -> BuildStats:
    """Write the baseline database for `reports` to `path` (replacing it)."""
    path = Path(path)
    started = time.perf_counter()
    for stale in (path, path.with_name(path.name + "-journal")):
        stale.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        rows = text_bytes = 0
        batch = []
        for report in reports:
            rid = report_id(report.agency, report.year)
            for section in report.sections:
                # Prose and tables together, as the engine's verbatim bigrams hold them.
                text = searchable_text(section.text, section.tables)
                batch.append((rid, report.agency, report.region, int(report.year),
                              section.key, section.title, text))
                text_bytes += len(text.encode())
            if len(batch) >= 5000:
                connection.executemany("INSERT INTO sections(report_id, agency, region, year, section, title, text)"
                                       " VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
                rows += len(batch)
                batch.clear()
        connection.executemany("INSERT INTO sections(report_id, agency, region, year, section, title, text)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
        rows += len(batch)
        connection.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
        connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        connection.commit()
    finally:
        connection.close()
    return BuildStats(rows, text_bytes, time.perf_counter() - started, path.stat().st_size)


class Baseline:
    """An open baseline database; one per thread (sqlite3 connections are not shared)."""

    def __init__(self, path: str | Path):
        self.connection = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, check_same_thread=True)
        self.connection.execute("CREATE TEMP TABLE matches (id INTEGER PRIMARY KEY, score REAL)")

    def close(self) -> None:
        self.connection.close()

    def search(self, query: str, agencies=(), regions=(), years=(), sections=()) -> BaselineResults:
        """Total, top 10 with snippets, and the three facet counts for one query."""
        words = terms(query)
        long_words = [w for w in words if len(w) >= 3]
        short_words = [w for w in words if len(w) < 3]
        self._collect(long_words, short_words)
        filters = {"agency": tuple(agencies), "region": tuple(regions),
                   "year": tuple(int(y) for y in years), "section": tuple(sections)}
        where, params = _filters(filters)
        db = self.connection
        total = db.execute(f"SELECT count(*) FROM matches m JOIN sections s ON s.id = m.id {where}",
                           params).fetchone()[0]
        top = db.execute(
            "SELECT s.id, s.report_id, s.agency, s.year, s.section, s.title, s.text"
            f" FROM matches m JOIN sections s ON s.id = m.id {where} ORDER BY m.score, m.id LIMIT {TOP}",
            params).fetchall()
        snippets = self._snippets([row[0] for row in top], long_words) if long_words else {}
        hits = [BaselineHit(rid, agency, year, section, title,
                            snippets.get(sid) or _instr_snippet(text, words))
                for sid, rid, agency, year, section, title, text in top]
        facets = {}
        for name in FACETS:
            others = {k: v for k, v in filters.items() if k != name}
            where, params = _filters(others)
            limit = f" LIMIT {AGENCY_FACET_SIZE}" if name == "agency" else ""
            facets[name] = [tuple(row) for row in db.execute(
                f"SELECT s.{name}, count(*) AS n FROM matches m JOIN sections s ON s.id = m.id {where}"
                f" GROUP BY s.{name} ORDER BY n DESC, s.{name}{limit}", params)]
        return BaselineResults(total, hits, facets)

    def _collect(self, long_words: list[str], short_words: list[str]) -> None:
        """Fill the temp table ``matches`` with (section id, score: lower is better)."""
        db = self.connection
        db.execute("DELETE FROM matches")
        short = " AND ".join("(instr(s.agency, ?) OR instr(s.title, ?) OR instr(s.text, ?))"
                             for _ in short_words)
        short_params = [w for w in short_words for _ in range(3)]
        if long_words:
            match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
            if short_words:
                db.execute("INSERT INTO matches SELECT fts.rowid, fts.rank FROM fts JOIN sections s"
                           f" ON s.id = fts.rowid WHERE fts MATCH ? AND {short}", [match, *short_params])
            else:
                db.execute("INSERT INTO matches SELECT rowid, rank FROM fts WHERE fts MATCH ?", [match])
        elif short_words:
            first = short_words[0]
            db.execute("INSERT INTO matches SELECT s.id, -((length(s.text) - length(replace(s.text, ?, '')))"
                       f" / length(?)) FROM sections s WHERE {short}", [first, first, *short_params])
        else:
            db.execute("INSERT INTO matches SELECT id, 0 FROM sections")

    def _snippets(self, ids: list[int], long_words: list[str]) -> dict[int, str]:
        if not ids:
            return {}
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        rows = self.connection.execute(
            f"SELECT rowid, snippet(fts, 2, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', {SNIPPET_TOKENS})"
            f" FROM fts WHERE fts MATCH ? AND rowid IN ({','.join('?' * len(ids))})", [match, *ids])
        return {rowid: _escape_marked(_whole_marks(text, long_words)) for rowid, text in rows
                if _MARK_OPEN in text}


_MARKED = re.compile(f"{_MARK_OPEN}(.*?){_MARK_CLOSE}", re.S)


def _whole_marks(text: str, words: list[str]) -> str:
    """Unmark a word cut by the snippet's edge (FTS5 cuts between trigrams: 政策解 of 政策解读)."""
    def keep(match):
        piece = match.group(1)
        cut = piece not in words and any(w != piece and (w.startswith(piece) or w.endswith(piece))
                                          for w in words)
        return piece if cut else match.group(0)
    return _MARKED.sub(keep, text)


def _filters(filters: dict[str, tuple]) -> tuple[str, list]:
    clauses, params = [], []
    for name, values in filters.items():
        if values:
            clauses.append(f"s.{name} IN ({','.join('?' * len(values))})")
            params += list(values)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _escape_marked(text: str) -> str:
    """Escape, then turn the placeholders into <mark> (escape first, then highlight)."""
    return html.escape(text).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")


def _instr_snippet(text: str, words: list[str]) -> str:
    """A window around the first occurrence of any word, every occurrence marked."""
    positions = [p for p in (text.find(w) for w in words) if p >= 0]
    if not positions:
        return html.escape(text[: 2 * SNIPPET_CHARS])
    start = max(0, min(positions) - SNIPPET_CHARS)
    window = text[start: min(positions) + 2 * SNIPPET_CHARS]
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    marked = re.sub(pattern, lambda m: _MARK_OPEN + m.group(0) + _MARK_CLOSE, window)
    return ("…" if start else "") + _escape_marked(marked) + "…"


def _read_jsonl(path: Path):
    with Path(path).open(encoding="utf-8") as lines:
        for line in lines:
            yield Report.from_json(json.loads(line))


def main(argv=None) -> int:
    """``python -m bench.baseline --reports reports.jsonl --db baseline.sqlite``: build, print stats."""
    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=main.__doc__)
    parser.add_argument("--reports", type=Path, required=True, help="parsed reports, one JSON object a line")
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file to write")
    args = parser.parse_args(argv)
    print(json.dumps(asdict(build(_read_jsonl(args.reports), args.db))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
