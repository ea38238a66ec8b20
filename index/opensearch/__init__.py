"""The OpenSearch side of the index: the same reports, written into a cluster.

`index.opensearch.build` builds, adds and removes as `index.build` does for whoosh
(both share `index.plan`); `mapping.json` (explained in ``mapping.md``) is the
index's mapping, `documents` makes its documents from `index.documents`' (`making`
on several processes), `bulk` writes them, `generations` keeps one index per build behind the alias the site
reads, `ledger` keeps what ``add`` and ``remove`` did for the next build, `reading`
reads back what those need, and `client` connects. The site's side is
`search.opensearch`.
"""
