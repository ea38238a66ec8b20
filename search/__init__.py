"""Search: the library the site and the command line call. Plain data in, plain data out.

- `search.settings` — `Settings`: every limit of search/ in one table (web/config.py fills it).
- `search.request`  — `SearchRequest.from_params(params, settings)`: every parameter parsed once;
  `BadRequest` (a Chinese sentence, the site's 400).
- `search.query`    — our query language (spaces AND, "quotes", -exclude, OR); `QueryTerm`, a
  term's meaning once (sections it matches, check a hit passes); the rank query.
- `search.engine`   — `search(handle, request) -> SearchResults`: match, order, page.
- `search.facets`   — multi-select facet counts, the agencies summary, report-level filters.
- `search.backend`  — `SearchBackend`/`Session`: what the engine asks of an index.
- `search.context`  — whoosh's session: searcher + the version's snapshot (catalog, query cache).
- `search.querycache` — match sets, word scores, facet counts kept within a memory budget.
- `search.ranking`  — BM25F of the hits only, equal to whoosh's.
- `search.verbatim` — which sections hold a string verbatim (bigram postings).
- `search.snippets` — `snippet(text, terms)`, `highlight(text, terms)`: escaped, then marked.
- `search.aliases`  — agency abbreviations (``aliases.tsv``, data) → full names.
- `search.figures`  — figure filters and sorts, `compare(...) -> Comparison`, `to_csv`.
- `search.reports`  — `get_report`, `list_agencies`, `get_agency`, `corpus_stats`.
- `search.results`  — the dataclasses all of the above return.
- `search.catalog`  — the index's facet columns as plain lists, one per index version (kept
  by the index handle).

No whoosh object leaves this package; ``python -m search`` runs a search from the shell.
"""
