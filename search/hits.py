"""What a hit shows under its title, the same for every engine.

`hit_snippet(text, tables, terms, title, section)`: a sentence of the section's prose
when the prose holds a term (`search.snippets`); else the table rows that do, with
their labels and numbers (`search.tablesnippet`); else a caption or note of a table
holding it; else the prose's opening. Escaped, then marked.
"""
from __future__ import annotations

from index.folding import fold
from index.documents import table_text
from search.snippets import mark_spans, snippet
from search.tablesnippet import table_snippet


def hit_snippet(text: str, tables: list, terms: list[str], title: str, section: str) -> str:
    """The snippet of one section (see the module docstring)."""
    folded = fold(text)
    if text and mark_spans(text, terms, folded):
        return snippet(text, terms, folded=folded)
    found = table_snippet(tables, terms, title, section)
    if found:
        return found
    printed = table_text(tables)
    if printed and mark_spans(printed, terms):   # a caption or note of a table
        return snippet(printed, terms, fragments=1)
    return snippet(text, terms, folded=folded) if text else snippet(printed, terms)
