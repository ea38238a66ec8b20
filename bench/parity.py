"""``python -m bench.parity``: the long tail's answers on both engines, count by count.

    python -m bench.parity --workdir DIR [--opensearch-url URL] [--opensearch-index ALIAS]
                           [--size 300] [--out FILE]

On a workdir a ``python -m bench --engine opensearch --workdir DIR`` run left (its
``reports.jsonl``, whoosh index, and OpenSearch index behind the alias — on the node
it started in ``DIR/opensearch``, started again here and stopped at the end, or on
the cluster at ``--opensearch-url``), it asks each of the long-tail mix's queries
(bench/longtail.py, the same seed) of both engines through the contract
(`search.engines.open_service`: what the site asks) and compares what the search page
shows as counts: the total, the matches with no filter, the number of agencies, every
facet's every value (agency, region, year, section, audit kinds), and the agencies
summary (each agency's sections and reports). It prints each difference with its
query and writes the whole comparison (every query's totals, every difference) as
JSON to ``--out`` (default ``DIR/parity.json``). Exit status 0 when nothing differs,
1 otherwise.

API: `answers(engine, queries)`, `differences(query, whoosh, opensearch) -> list[dict]`, `compared(whoosh, opensearch)`,
`compare(workdir, url, alias, size) -> dict`.
"""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from bench import longtail
from bench.opensearch import DEFAULT_ALIAS, NODE_DIR, service, started_node
from bench.queries import BenchQuery
from search.results import SearchResults


def _filters(query: BenchQuery) -> str:
    return "; ".join(f"{k}={','.join(map(str, v))}" for k, v in query.baseline_args().items() if v)


def shown_counts(result: SearchResults) -> dict[str, dict]:
    """Every count the results page shows, by what it is a count of."""
    found = {"total": {"": result.total}, "unfiltered": {"": result.unfiltered},
             "agencies_total": {"": result.agencies_total}, "partial": {"": result.partial}}
    for facet, values in result.facets.items():
        found[f"facet {facet}"] = {value.value: value.count for value in values}
    found["agencies summary: sections"] = {a.agency: a.sections for a in result.agencies}
    found["agencies summary: reports"] = {a.agency: a.reports for a in result.agencies}
    return found


def compared(whoosh: SearchResults, opensearch: SearchResults) -> int:
    """How many counts the two answers show between them (each compared once)."""
    ours, theirs = shown_counts(whoosh), shown_counts(opensearch)
    return sum(len(ours.get(what, {}).keys() | theirs.get(what, {}).keys()) for what in ours.keys() | theirs.keys())


def differences(query: BenchQuery, whoosh: SearchResults, opensearch: SearchResults) -> list[dict]:
    """Each count that differs between the two answers (None: the value is not listed)."""
    ours, theirs = shown_counts(whoosh), shown_counts(opensearch)
    found = []
    for what in ours.keys() | theirs.keys():
        left, right = ours.get(what, {}), theirs.get(what, {})
        for value in sorted(left.keys() | right.keys(), key=str):
            if left.get(value) != right.get(value):
                found.append({"q": query.q, "filters": _filters(query), "what": what, "value": value,
                              "whoosh": left.get(value), "opensearch": right.get(value)})
    return sorted(found, key=lambda d: (d["what"], str(d["value"])))


def answers(engine, queries: list[BenchQuery]) -> list[SearchResults]:
    return [engine.search(query.request()) for query in queries]


def whoosh_service(index_dir: Path):
    from config.settings import DEFAULTS
    from search.engines import open_service

    return open_service(replace(DEFAULTS, engine="whoosh", index_path=str(index_dir)))


def compare(workdir: Path, url: str, alias: str = DEFAULT_ALIAS, size: int = longtail.SIZE) -> dict:
    """Both engines' answers to the long tail drawn from `workdir` (see the module docstring)."""
    drawn = longtail.draw(workdir / "reports.jsonl", size)
    whoosh, opensearch = whoosh_service(workdir / "index"), service(url, alias)
    try:
        ours, theirs = answers(whoosh, drawn), answers(opensearch, drawn)
    finally:
        whoosh.close()
        opensearch.close()
    rows, found = [], []
    for query, a, b in zip(drawn, ours, theirs):
        diffs = differences(query, a, b)
        found += diffs
        rows.append({"q": query.q, "filters": _filters(query), "whoosh_total": a.total,
                     "opensearch_total": b.total, "counts": compared(a, b), "differences": len(diffs)})
    return {"workdir": str(workdir), "url": url, "alias": alias, "queries": len(drawn),
            "queries_differing": sum(1 for row in rows if row["differences"]),
            "totals_differing": sum(1 for row in rows if row["whoosh_total"] != row["opensearch_total"]),
            "counts_compared": sum(row["counts"] for row in rows),
            "differences": found, "per_query": rows}


def report(comparison: dict) -> list[str]:
    lines = [f"{d['q']!r} [{d['filters'] or 'no filter'}] {d['what']} {d['value']!r}: "
             f"whoosh {d['whoosh']}, opensearch {d['opensearch']}" for d in comparison["differences"]]
    lines.append(f"{comparison['queries']} queries: {len(comparison['differences'])} differences in "
                 f"{comparison['queries_differing']} queries ({comparison['totals_differing']} totals differ; "
                 f"{comparison['counts_compared']} counts compared)")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parity", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--opensearch-url", default=None,
                        help="the cluster (default: start the node the bench left in WORKDIR/opensearch)")
    parser.add_argument("--opensearch-index", default=DEFAULT_ALIAS, help="the alias (default %(default)s)")
    parser.add_argument("--size", type=int, default=longtail.SIZE, help="queries drawn (default %(default)s)")
    parser.add_argument("--out", type=Path, default=None, help="the JSON comparison (default WORKDIR/parity.json)")
    args = parser.parse_args(argv)
    folder = args.workdir / NODE_DIR
    if args.opensearch_url is None and not (folder / "cluster.json").is_file():
        parser.error(f"no --opensearch-url and no node in {folder}")
    node = nullcontext((args.opensearch_url, 0.0)) if args.opensearch_url else started_node(folder, "512m")
    with node as (url, _):
        comparison = compare(args.workdir, url, args.opensearch_index, args.size)
    out = args.out or args.workdir / "parity.json"
    out.write_text(json.dumps(comparison, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(report(comparison)))
    print(f"written to {out}", file=sys.stderr)
    return 0 if not comparison["differences"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
