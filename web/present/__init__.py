"""Plain data from search/ -> what a page prints and what the API sends, links included.

One module per resource: `home`, `search` (with the Atom `feed`), `report`, `agency`,
`audit`, `figures`, `apidoc` (the /api page). Each has a ``resource(...)`` that wraps
the plain data its view got from search/ in a `web.render.Resource`: the page the
template prints (small dataclasses) and the API's payload, both made from that same
data, each only when asked. Templates compute nothing: every label, count, URL and
selected state a page shows is made here. The only HTML that passes through
unescaped is the highlighter's (search.snippets escapes the text, then adds
``<mark>``); it is marked safe in exactly one place, `common.marked`.
"""
