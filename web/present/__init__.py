"""Plain data from search/ -> plain data a template prints, links included.

One module per page: `home`, `search` (with the Atom `feed`), `report`, `agency`,
`figures`. Templates compute nothing: every label, count, URL and selected state a
page shows is made here, as small dataclasses. The only HTML that passes through
unescaped is the highlighter's (search.snippets escapes the text, then adds
``<mark>``); it is marked safe in exactly one place, `common.marked`.
"""
