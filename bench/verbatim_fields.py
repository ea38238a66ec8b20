"""``python -m bench.verbatim_fields``: two ways OpenSearch can find any verbatim substring, measured.

    python -m bench.verbatim_fields --url http://127.0.0.1:9200 --reports WORKDIR/reports.jsonl
                                    [--queries 300] [--runs 5]

The OpenSearch engine must find every section whose folded, whitespace-free text holds
a query term, of any length from one character. This writes each section's text
(`reports.jsonl`, as a ``python -m bench --workdir`` run leaves it) into a one-shard
index per way, force-merged to one segment, and asks the long-tail mix
(`bench.longtail.draw`: 1 to 8 characters, and pairs) of each:

* ``grams`` — the text as its character bigrams (`index.folding.bigram_text`) in a
  ``text`` field cut by the ``whitespace`` analyzer, a term a ``match_phrase`` of its
  bigrams, a one-character term a ``prefix`` (what the engine does: index/opensearch/mapping.md);
* ``grams_prefixes`` — the same with the field's one-character prefixes indexed
  (``index_prefixes``), so a one-character term is one term lookup;
* ``wildcard`` — the text as a ``wildcard`` field with doc values, a term ``*term*``.

It prints each way's index size, write time, and latency (each query's best of
`--runs`, request cache off; p50, p95, max, and by query kind), and checks every
total against a brute-force scan of the texts. The wildcard way is asked once per
query (its common strings take seconds each).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from opensearchpy import helpers

from bench.longtail import draw
from index.analysis import bigram_terms
from index.documents import searchable_text
from index.folding import bigram_text, compact
from index.opensearch.client import connect

GRAMS = {"type": "text", "analyzer": "whitespace", "norms": False, "index_options": "positions"}
WAYS = {
    "grams": GRAMS,
    "grams_prefixes": {**GRAMS, "index_prefixes": {"min_chars": 1, "max_chars": 1}},
    "wildcard": {"type": "wildcard", "doc_values": True},
}


def _value(way: str, text: str) -> str:
    return text if way == "wildcard" else bigram_text(text)


def _query(way: str, term: str) -> dict:
    if way == "wildcard":
        escaped = compact(term).replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
        return {"wildcard": {"v": {"value": f"*{escaped}*"}}}
    grams = bigram_terms(term)
    if len(grams) == 1 and len(grams[0]) == 1:
        return {"prefix": {"v": grams[0]}}
    return {"match_phrase": {"v": " ".join(grams)}}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def measure(url: str, reports: Path, size: int, runs: int) -> int:
    client = connect(url, timeout=600)
    texts = []
    with reports.open(encoding="utf-8") as lines:
        for line in lines:
            for section in json.loads(line)["sections"]:
                texts.append(compact(searchable_text(section.get("text", ""), section.get("tables", []))))
    queries = draw(reports, size)
    terms = [query.q.split() for query in queries]
    brute = [sum(1 for text in texts if all(compact(part) in text for part in parts)) for parts in terms]
    print(f"{len(texts)} sections, {sum(map(len, texts)) / 1e6:.1f} M characters; {len(queries)} queries")
    failures = 0
    for way, field in WAYS.items():
        name = f"bench-verbatim-{way}"
        client.indices.delete(index=name, ignore_unavailable=True)
        client.indices.create(index=name, body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"},
            "mappings": {"dynamic": "strict", "_source": {"enabled": False}, "properties": {"v": field}}})
        started = time.monotonic()
        for ok, item in helpers.streaming_bulk(client, ({"_index": name, "_id": str(n), "_source": {"v": _value(way, text)}}
                                                        for n, text in enumerate(texts)), max_chunk_bytes=8 << 20):
            assert ok, item
        client.indices.refresh(index=name)
        client.indices.forcemerge(index=name, max_num_segments=1)
        written = time.monotonic() - started
        stored = client.indices.stats(index=name)["indices"][name]["total"]["store"]["size_in_bytes"]
        best, totals = [float("inf")] * len(queries), [0] * len(queries)
        for _ in range(1 if way == "wildcard" else runs):
            for n, parts in enumerate(terms):
                body = {"size": 0, "track_total_hits": True,
                        "query": {"bool": {"filter": [_query(way, part) for part in parts]}}}
                asked = time.monotonic()
                totals[n] = client.search(index=name, body=body, request_cache=False)["hits"]["total"]["value"]
                best[n] = min(best[n], time.monotonic() - asked)
        client.indices.delete(index=name)
        wrong = sum(a != b for a, b in zip(totals, brute))
        failures += wrong
        print(f"{way}: {stored / 1e6:.1f} MB, written and merged in {written:.0f} s; "
              f"p50 {_percentile(best, 0.5) * 1e3:.1f} ms, p95 {_percentile(best, 0.95) * 1e3:.1f} ms, "
              f"max {max(best) * 1e3:.1f} ms; totals {'all equal to' if not wrong else f'{wrong} differ from'} "
              "brute force")
        kinds: dict[str, list[float]] = {}
        for query, seconds in zip(queries, best):
            kinds.setdefault(query.kind.split(" + ")[0], []).append(seconds)
        for kind, values in sorted(kinds.items()):
            print(f"    {kind:10s} n={len(values):3d}  p50 {_percentile(values, 0.5) * 1e3:8.1f} ms  "
                  f"max {max(values) * 1e3:8.1f} ms")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.verbatim_fields", description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="an OpenSearch node")
    parser.add_argument("--reports", type=Path, required=True, help="reports.jsonl of a bench --workdir")
    parser.add_argument("--queries", type=int, default=300, help="long-tail queries (default %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query, the best kept (default %(default)s)")
    args = parser.parse_args(argv)
    return measure(args.url, args.reports, args.queries, args.runs)


if __name__ == "__main__":
    sys.exit(main())
