"""``python -m search``: the site's search from the shell.

    python -m search [--engine whoosh|opensearch] [--index DIR] [--opensearch-url URL] [--opensearch-index ALIAS]
                     [--agency A] [--region R] [--year Y] [--section S]
                     [--audit KIND] [--template T] [--failing] [--fig EXPR] [--sort S] [--page N]
                     [--size N] [--json] QUERY

Filters may repeat (``--year 2022 --year 2023``). Without ``--json`` it prints the
total, one line per hit (report, section, score) with its snippet as plain text, and
the facet counts; with ``--json`` exactly the plain data the site gets
(``dataclasses.asdict(SearchResults)``). Exit status 0 on an answer (even an empty
one), 2 on a bad parameter, 1 when there is no index.
"""
from __future__ import annotations

import argparse
import dataclasses
import html
import json
import re
import sys

from dataclasses import replace

from search.request import BadRequest, SearchRequest
from search.engines import open_service
from search.service import ENGINES, EngineUnavailable
from config.settings import DEFAULTS
from search.vocabulary import FACETS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m search", description=__doc__.splitlines()[0])
    parser.add_argument("query", nargs="*", metavar="QUERY", help="query text (words are joined by spaces)")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULTS.engine, help="search engine (default: %(default)s)")
    parser.add_argument("--index", default=DEFAULTS.index_path, help="whoosh index root (default: %(default)s)")
    parser.add_argument("--opensearch-url", default=DEFAULTS.opensearch_url,
                        help="OpenSearch cluster, with --engine opensearch (default: %(default)s)")
    parser.add_argument("--opensearch-index", default=DEFAULTS.opensearch_index,
                        help="the alias to search, with --engine opensearch (default: %(default)s)")
    for name in (*FACETS, "fig"):
        parser.add_argument(f"--{name}", action="append", default=[], help=f"{name} filter (repeatable)")
    parser.add_argument("--template", help="2019 or 2021")
    parser.add_argument("--failing", action="store_true", help="only reports failing a check")
    parser.add_argument("--sort", help="relevance, newest, oldest or a figure key[:asc]")
    parser.add_argument("--page", help="page number (default 1)")
    parser.add_argument("--size", help=f"hits per page (default {DEFAULTS.page_size})")
    parser.add_argument("--json", action="store_true", help="print the plain results as JSON")
    return parser


def _plain(snippet: str) -> str:
    """A snippet for the terminal: marks as [brackets], entities decoded."""
    return html.unescape(re.sub(r"</?mark>", lambda m: "]" if m.group().startswith("</") else "[", snippet))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    params = {"q": " ".join(args.query), **{name: getattr(args, name) for name in (*FACETS, "fig")},
              "template": args.template, "failing": "1" if args.failing else None,
              "sort": args.sort, "page": args.page, "size": args.size}
    try:
        request = SearchRequest.from_params({k: v for k, v in params.items() if v is not None})
    except BadRequest as error:
        print(f"错误：{error.message}", file=sys.stderr)
        return 2
    settings = replace(DEFAULTS, engine=args.engine, index_path=args.index, opensearch_url=args.opensearch_url,
                       opensearch_index=args.opensearch_index)
    service = open_service(settings)
    try:
        results = service.search(request)
    except EngineUnavailable as error:
        print(f"error: {error.reason}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(dataclasses.asdict(results), ensure_ascii=False, indent=1))
        return 0
    print(f"{results.total} 个章节" + (f"（第 {results.page} 页）" if results.page > 1 else ""))
    for hit in results.hits:
        print(f"\n{hit.report_id} · {hit.title or hit.section} · {hit.score:g}")
        print(f"  {_plain(hit.snippet)}")
    for name, values in results.facets.items():
        if values:
            shown = "  ".join(f"{'*' if v.selected else ''}{v.value} {v.count}" for v in values[:10])
            print(f"\n{name}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
