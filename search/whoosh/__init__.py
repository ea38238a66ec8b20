"""The whoosh engine: the embedded index on this machine's disk, behind `search.service`.

- `service`    — `WhooshService`, the contract's methods (the only module the rest uses).
- `engine`     — one search: match, filter and count, order, page.
- `context`    — one search's context: searcher, the version's snapshot, the budget.
- `catalog`    — the index's facet columns as plain lists, one per index version.
- `facets`     — multi-select facet counts and the agencies summary over the columns.
- `verbatim`   — which sections hold a string verbatim (the bigram arrays, `index.bigrams`).
- `ranking`    — the rank query and BM25F of the hits only, equal to whoosh's.
- `querycache` — match sets, word scores, facet counts kept within a memory budget.
- `reports`    — a report, an agency, every agency, the corpus's counts, the audit.
- `figures`    — the comparison table.
"""
