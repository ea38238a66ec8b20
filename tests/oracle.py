"""An independent reading of the query language, written out plainly over `Report`s.

The contract tests compare every engine with this, so nothing here comes from the
code under test: its own tokenizer, its own folding, and the few abbreviations the
test queries use, as a reader knows them. Written from the rules the site states
(README, /api):

- words separated by spaces must all occur; ``"quoted text"`` (also “ ”) is one term;
- a leading ``-`` excludes sections holding the term; ``OR`` between two terms means
  either;
- a term occurs in a section when the section's prose or table cells, or its agency's
  name, hold it — ignoring case, full/half width and whitespace; an unquoted
  abbreviation (工信局) also matches the agencies it stands for; a quoted one never.

`matches(query, report, section)`, `passes(report, section, filters, audited, changed=…)`,
`facet_counts(query, filters, sections, audited, changed)`, `section_text(section)`.
`audited` (report id → its audit finding kinds) and `changed` (report id → its change
class) are the index's input, given.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

# The test corpus's abbreviations and the words of the names they stand for.
ABBREVIATIONS = {
    "工信局": ("工业和信息化局",),
    "发改委": ("发展和改革委员会",),
    "卫健委": ("卫生健康委员会",),
}
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|“([^”]*)”?|([^\s"“]+))')


def fold(text: str) -> str:
    """Lower case, half width, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def section_text(section) -> str:
    """What a section's text is searched in: its prose and every table cell."""
    cells = [cell for table in section.tables for row in table for cell in row if cell]
    return section.text + "\n" + "\n".join(cells)


def _terms(query: str) -> tuple[list[list[tuple[str, bool]]], list[tuple[str, bool]]]:
    """(AND of OR-groups, excluded), each term as (text, quoted)."""
    groups: list[list[tuple[str, bool]]] = []
    excluded: list[tuple[str, bool]] = []
    tokens = []
    for found in _TOKEN.finditer(query):
        minus, straight, curly, bare = found.groups()
        text = next(part for part in (straight, curly, bare) if part is not None)
        tokens.append((minus == "-", text, bare is None))
    tokens = [(negated, text, quoted) for negated, text, quoted in tokens if fold(text)]
    join = False
    for i, (negated, text, quoted) in enumerate(tokens):
        if text == "OR" and not quoted and not negated and groups and not join \
                and i + 1 < len(tokens) and not tokens[i + 1][0]:
            join = True
            continue
        if negated:
            excluded.append((text, quoted))
        elif join:
            groups[-1].append((text, quoted))
        else:
            groups.append([(text, quoted)])
        join = False
    return groups, excluded


def _holds(term: str, quoted: bool, report, section) -> bool:
    needle = fold(term)
    if needle in fold(section_text(section)) or needle in fold(report.agency):
        return True
    return not quoted and any(full in report.agency for full in ABBREVIATIONS.get(needle, ()))


def matches(query: str, report, section) -> bool:
    """Whether the section matches the query (see the module docstring)."""
    groups, excluded = _terms(query)
    return (all(any(_holds(t, q, report, section) for t, q in group) for group in groups)
            and not any(_holds(t, q, report, section) for t, q in excluded))


def passes(report, section, filters: dict, audited: dict, skip: str | None = None,
           changed: dict | None = None) -> bool:
    """Whether the section passes the facet filters (``{facet: chosen values}``) but
    `skip`'s; a region takes in the regions whose name starts with it; ``audit``: the
    report has any of the chosen finding kinds (`audited`: report id → kinds);
    ``change``: the report's change class is one of the chosen (`changed`: report id →
    class)."""
    values = {"agency": report.agency, "year": report.year, "section": section.key}
    for name, chosen in filters.items():
        if name == skip or not chosen:
            continue
        if name == "audit":
            if not audited.get(f"{report.agency}-{report.year}", set()) & set(chosen):
                return False
        elif name == "change":
            if (changed or {}).get(f"{report.agency}-{report.year}") not in chosen:
                return False
        elif name == "region":
            if not any(report.region.startswith(region) for region in chosen):
                return False
        elif values[name] not in chosen:
            return False
    return True


def facet_counts(query: str, filters: dict, sections, audited: dict, changed: dict | None = None) -> dict:
    """Each facet's counts over `sections` ((report, section) pairs) that match the query
    and pass every filter but the facet's own; chosen values listed even at 0."""
    changed = changed or {}
    counts = {}
    labels = {"agency": lambda r, s: r.agency, "region": lambda r, s: r.region,
              "year": lambda r, s: str(r.year), "section": lambda r, s: s.key}
    for name, label in labels.items():
        counter = Counter(label(r, s) for r, s in sections
                          if matches(query, r, s) and passes(r, s, filters, audited, skip=name, changed=changed))
        for value in filters.get(name, ()):
            counter.setdefault(str(value), 0)
        counts[name] = dict(counter)
    audit = Counter()
    change = Counter()
    for r, s in sections:
        if matches(query, r, s) and passes(r, s, filters, audited, skip="audit", changed=changed):
            audit.update(audited.get(f"{r.agency}-{r.year}", set()))
        if matches(query, r, s) and passes(r, s, filters, audited, skip="change", changed=changed) \
                and f"{r.agency}-{r.year}" in changed:
            change[changed[f"{r.agency}-{r.year}"]] += 1
    chosen = filters.get("audit", ())
    counts["audit"] = {kind: audit[kind] for kind in sorted(set(audit) | set(chosen))}
    chosen = filters.get("change", ())
    counts["change"] = {value: change[value] for value in sorted(set(change) | set(chosen))}
    return counts
