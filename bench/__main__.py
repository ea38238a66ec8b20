"""``python -m bench``: generate a corpus, build, search three ways, print the table.

    python -m bench [--reports N] [--seed S] [--clients C] [--repeat R]
                    [--search-seconds T] [--long-tail N] [--workdir DIR [--reuse]] [--results bench/RESULTS.md]
                    [--engine opensearch [--opensearch-url URL] [--opensearch-index ALIAS]
                     [--shards N] [--replicas N] [--opensearch-heap 512m]]

The default (300 reports) finishes in about a minute on two cores. ``--results``
appends the table, with the machine, date, commit and this command, to a Markdown
file. ``--reuse`` searches again over the corpus, index and baseline an earlier
``--workdir`` run left (its build figures are reported again). ``--engine opensearch``
measures the OpenSearch engine too, after whoosh and FTS5, on the same corpus and
queries, and adds a side-by-side table (bench/opensearch.py; without
``--opensearch-url`` it starts a node in the workdir and stops it at the end).
See bench/run.py for what each figure measures.
"""
from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from bench import longtail, run, tables


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    defaults = run.Options()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=defaults.reports, help="corpus size (default %(default)s)")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="corpus seed (default %(default)s)")
    parser.add_argument("--clients", type=int, default=defaults.clients,
                        help="concurrent HTTP clients (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=defaults.repeat,
                        help="warm passes over the query mix per engine (default %(default)s)")
    parser.add_argument("--search-seconds", type=float, default=defaults.search_seconds,
                        help="time budget per search phase, seconds (default %(default)s)")
    parser.add_argument("--long-tail", type=int, default=longtail.SIZE,
                        help="distinct queries drawn from the corpus, each asked once (default %(default)s; 0: none)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: its config)")
    parser.add_argument("--build-workers", type=int, default=None, help="index build processes (default: all cores)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep corpus, index and baseline here (default: a temporary directory, removed)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --workdir: keep the corpus, index and baseline an earlier run left there "
                             "(and its build figures); only search again")
    parser.add_argument("--results", type=Path, default=None, help="append the table to this Markdown file")
    parser.add_argument("--engine", choices=("opensearch",), default="",
                        help="also build and search this engine, beside whoosh and FTS5")
    parser.add_argument("--opensearch-url", default=None,
                        help="with --engine opensearch: the cluster (default: a node started in the workdir)")
    parser.add_argument("--opensearch-index", default=defaults.opensearch_index,
                        help="the alias the bench builds behind (default %(default)s)")
    parser.add_argument("--shards", type=int, default=defaults.opensearch_shards,
                        help="the OpenSearch index's primary shards (default %(default)s)")
    parser.add_argument("--replicas", type=int, default=None,
                        help="its replicas (default: the build's: 1 on two data nodes or more)")
    parser.add_argument("--opensearch-heap", default=defaults.opensearch_heap,
                        help="the heap of a node started here (default %(default)s)")
    args = parser.parse_args(argv)
    if args.reuse and args.workdir is None:
        parser.error("--reuse needs --workdir")
    if args.reports < 1 or args.clients < 1 or args.repeat < 1:
        parser.error("--reports, --clients and --repeat must be at least 1")
    options = run.Options(reports=args.reports, seed=args.seed, workdir=args.workdir, repeat=args.repeat,
                          search_seconds=args.search_seconds, clients=args.clients, workers=args.workers,
                          build_workers=args.build_workers, results=args.results, reuse=args.reuse,
                          long_tail=args.long_tail, engine=args.engine, opensearch_url=args.opensearch_url,
                          opensearch_index=args.opensearch_index, opensearch_shards=args.shards,
                          opensearch_replicas=args.replicas, opensearch_heap=args.opensearch_heap,
                          command="python -m bench " + shlex.join(argv))
    machine = tables.machine()
    results = run.run(options)
    print(tables.table(results))
    if args.results:
        with args.results.open("a", encoding="utf-8") as out:
            out.write("\n" + tables.markdown_section(results, options, machine))
        print(f"appended to {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
