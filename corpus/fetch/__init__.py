"""``python -m corpus fetch``: collect a portal column's annual reports into a folder.

`command` parses the arguments, `crawl` walks the column (list pages, report pages,
attachments), `links` decides which links belong to it, `client` is the polite HTTP
(robots.txt, delay, retries, size cap), `files` names and saves what is fetched, and
`manifest` keeps ``DIR/manifest.jsonl``: what happened to each URL, which makes a
rerun incremental and gives the index each report's source URL.
"""
