"""Search: the library the site and the command line call. Plain data in, plain data out.

- `search.request`  — `SearchRequest.from_params(params)`: every parameter parsed once;
  `BadRequest` (a Chinese sentence, the site's 400).
- `search.query`    — our query language (spaces AND, "quotes", -exclude, OR) → whoosh queries.
- `search.engine`   — `search(handle, request) -> SearchResults`: hits, multi-select facets,
  agencies.
- `search.snippets` — `snippet(text, terms)`, `highlight(text, terms)`: escaped, then marked.
- `search.aliases`  — agency abbreviations (``aliases.tsv``, data) → full names.
- `search.figures`  — figure filters and sorts, `compare(...) -> Comparison`, `to_csv`.
- `search.reports`  — `get_report`, `list_agencies`, `get_agency`, `corpus_stats`.
- `search.results`  — the dataclasses all of the above return.
- `search.catalog`  — the index's facet columns as plain lists, cached per index version.

No whoosh object leaves this package; ``python -m search`` runs a search from the shell.
"""
