"""Search: the library the site and the command line call. Plain data in, plain data out.

The engine-neutral part — what a request, a query and an answer mean:

- `search.service`    — `ReportsService`, the contract every engine serves (search, a report,
  an agency, the agencies, the corpus's counts, the audit, the comparison, an original
  file, health); `EngineUnavailable`/`NoIndex` (the site's 503).
- `search.engines`    — `open_service(settings)`: the engine the settings choose.
- `search.vocabulary` — the words of the query language and its filters: facet names, sorts,
  audit kinds, templates, what a year is.
- `search.request`    — `SearchRequest.from_params(params, settings)`: every parameter parsed
  once; `BadRequest` (a Chinese sentence, the site's 400).
- `search.comparison` — `ComparisonRequest` (the figures table's parameters) and its row order.
- `search.query`      — our query language (spaces AND, "quotes", -exclude, OR) as data:
  `parse`, `resolve` (a term's meaning once, agencies and abbreviations included), the
  rank recipe.
- `search.facets`     — facet values, the agencies summary's order, "without this filter".
- `search.hits`, `search.snippets`, `search.tablesnippet` — a hit's snippet: escaped, then marked.
- `search.pages`      — a report's and an agency's page from stored reports.
- `search.aliases`    — agency abbreviations (``aliases.tsv``, data) → full names.
- `search.regions`    — regions as a tree (a region takes in the regions within it).
- `search.budget`     — the CPU budget one search may spend.
- `search.results`    — the dataclasses every engine returns.

The engines, each in its own package behind `search.service`:

- `search.whoosh`     — the embedded index (index/): bigram arrays for verbatim matching,
  BM25F, facet columns in memory.
- `search.opensearch` — an OpenSearch cluster.

No engine object leaves its package; ``python -m search`` runs a search from the shell.
"""
