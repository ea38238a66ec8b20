"""The OpenSearch engine: a cluster written by ``python -m index build --engine opensearch``
(`index.opensearch`), behind `search.service`.

- `service`    — `OpenSearchService`, the contract's methods (the only module the rest uses).
- `connection` — the process's client; an unreachable or failing cluster as the contract's errors.
- `generation` — what is derived once per served generation: agencies, regions, years, dictionary.
- `query`      — our query language and filters as query clauses; the rank recipe.
- `facets`     — multi-select facet counts and the agencies summary as aggregations.
- `engine`     — one search: one ``_search`` call, its page of hits with their snippets.
- `paging`     — a page of a sorted search, however deep.
- `reports`    — a report, an agency, every agency, the corpus's counts, the audit, originals.
- `figures`    — the comparison table.
- `changes`    — the changes across agencies: one row per report of the two years.
"""
