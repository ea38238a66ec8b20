"""Our query language as engine-neutral data: what a query means, never how an engine runs it.

A citizen never has to learn it:

==================  ==================================================================
``行政复议 诉讼``     words separated by spaces must all occur (AND)
``"依申请 公开"``     quoted text is one term, kept whole (“ ” 「 」 『 』 quote too)
``-驳回``            a leading minus excludes sections containing the word (or "quote")
``复议 OR 诉讼``      OR between two terms: either will do (binds tighter than AND)
anything else       literal text: ``heading:x``, ``*``, ``(``, ``AND``, ``1/2`` are just text
==================  ==================================================================

The query is NFKC-normalised and capped (`search.request.cap_query`); each term is
folded like the index folds text (full-width → half-width, lower case), and matching is
whitespace-blind, so a term copied across a line break still matches.

`parse(text, settings) -> ParsedQuery` never raises. `resolve(parsed, agencies)` gives a
`ResolvedQuery`: its ``groups`` (an AND of OR-groups) and ``excluded`` terms as
`QueryTerm`s, where what a term means is written once — a section matches it when its
text holds it verbatim, or its agency's name does, or its agency is one the term names
through an abbreviation (`search.aliases`; never for a quoted term, included or
excluded). Each engine translates that into its own lookups (whoosh: the bigram
arrays; OpenSearch: a phrase of character bigrams) and ranks by the same recipe: the
term's jieba words (`rank_words`, cut with the index's own dictionary) in the prose,
the title (`TITLE_BOOST`), the agency's name (`AGENCY_BOOST`) and the tables
(`TABLES_BOOST`, far below the prose), plus the words as a phrase in the prose
(`PHRASE_BOOST`); a hit whose words are in its title or tables only is scaled by
`LABELS_ONLY_FACTOR`. ``accepts(text, agency)`` is the verbatim check an engine may run on
a displayed hit's stored text, so a hit always contains what was asked for.

API: `parse`, `ParsedQuery` (``groups``, ``excluded``, ``terms``, ``empty``), `resolve`,
`ResolvedQuery` (``groups``, ``excluded``, ``term_agencies``, ``accepts``,
``agency_terms``), `QueryTerm` (``needle``, ``key``, ``holds``), `rank_words`,
`agencies_named`, `abbreviated`, `literal_query`, `contains`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from index.analysis import jieba_terms
from index.folding import compact, fold_spaced
from search.aliases import matching_agencies
from config.settings import DEFAULTS, Settings
from search.request import cap_query

TITLE_BOOST = 2.0
AGENCY_BOOST = 1.5
PHRASE_BOOST = 2.0
# A word in a table's labels counts for little: every report prints the template's
# labels (行政复议, 收费 …); the prose is where a report says something of its own.
TABLES_BOOST = 0.2
# A hit whose prose holds none of the query's words while its title or tables do is
# scaled by this: the template's titles and labels are printed by every report.
LABELS_ONLY_FACTOR = 0.2

_OPEN = {'"': '"', "“": "”", "「": "」", "『": "』"}
OR_WORD = "OR"


_compact_name = functools.lru_cache(maxsize=1 << 16)(compact)  # agency names recur


def contains(haystack: str, term: str) -> bool:
    """Whether `term` occurs verbatim in `haystack`, ignoring whitespace and case/width."""
    needle = compact(term)
    return bool(needle) and needle in compact(haystack)


@dataclass(frozen=True)
class ParsedQuery:
    """The query's structure: an AND of OR-groups of literal terms, minus exclusions."""

    text: str = ""
    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    literal: tuple[str, ...] = ()     # quoted included terms: matched as text only, no abbreviation
    literal_excluded: tuple[str, ...] = ()   # quoted excluded terms: likewise

    @property
    def terms(self) -> list[str]:
        """The positive terms in query order, each once (what snippets mark)."""
        return list(dict.fromkeys(term for group in self.groups for term in group))

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded


@dataclass
class _Token:
    text: str
    quoted: bool
    negated: bool


def _tokens(text: str) -> list[_Token]:
    """Split the query into words and quoted phrases, each maybe negated by a leading -."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        negated = False
        if char == "-" and i + 1 < n and not text[i + 1].isspace():
            negated, i = True, i + 1
            char = text[i]
        if char in _OPEN:
            close = text.find(_OPEN[char], i + 1)  # unbalanced: to the end
            end = close if close >= 0 else n
            tokens.append(_Token(text[i + 1:end], True, negated))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in _OPEN:
            i += 1
        tokens.append(_Token(text[start:i], False, negated))
    return tokens


def _term(text: str) -> str:
    """A term as matched and marked: folded, inner whitespace runs made single spaces."""
    return fold_spaced(text)


def parse(text: str, settings: Settings = DEFAULTS) -> ParsedQuery:
    """Parse any text into a `ParsedQuery`; never raises, may return an empty query.
    The text is cut at `settings.max_query_length` characters and the query at
    `settings.max_terms` terms (later ones ignored)."""
    text = cap_query(text if isinstance(text, str) else str(text or ""), settings.max_query_length)
    tokens = [t for t in _tokens(text) if _term(t.text)]
    groups: list[list[str]] = []
    excluded: list[str] = []
    literal: list[str] = []
    literal_excluded: list[str] = []
    join_next = False
    for index, token in enumerate(tokens):
        is_or = not token.quoted and not token.negated and token.text == OR_WORD
        if is_or and groups and not join_next and index + 1 < len(tokens) \
                and not tokens[index + 1].negated and _term(tokens[index + 1].text):
            join_next = True
            continue
        term = _term(token.text)
        if token.quoted:
            (literal_excluded if token.negated else literal).append(term)
        if token.negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    # Cap the number of terms, keeping query order.
    budget = settings.max_terms
    capped: list[tuple[str, ...]] = []
    for group in groups:
        group = list(dict.fromkeys(group))[:budget]
        if group:
            capped.append(tuple(group))
            budget -= len(group)
    excluded = list(dict.fromkeys(excluded))[:max(budget, 0)]
    capped = list(dict.fromkeys(capped))
    kept = {term for group in capped for term in group}
    return ParsedQuery(text=text, groups=tuple(capped), excluded=tuple(excluded),
                       literal=tuple(t for t in dict.fromkeys(literal) if t in kept),
                       literal_excluded=tuple(t for t in dict.fromkeys(literal_excluded) if t in excluded))


@dataclass(frozen=True)
class QueryTerm:
    """One term's meaning, the single place it is defined.

    A section matches a term when its text holds the term verbatim (whitespace-blind,
    folded), or its agency's name does, or its agency is one the term names through an
    abbreviation (工信局 → …工业和信息化局; not for a quoted, ``literal`` term).
    ``agencies`` are the corpus's agencies the term names (verbatim or abbreviated). The
    same meaning serves each engine's match, the check of a displayed hit's stored text
    (`holds`), an included and an excluded term alike.
    """

    text: str
    agencies: frozenset[str] = frozenset()
    literal: bool = False

    @functools.cached_property
    def needle(self) -> str:
        """The term as looked for: folded, no whitespace."""
        return compact(self.text)

    @property
    def key(self) -> str:
        """What the term's sections are kept under (quoted: no abbreviations, another set)."""
        return f'"{self.text}"' if self.literal else self.text

    def holds(self, haystack: str, agency: str) -> bool:
        """Whether a section with compacted text `haystack` and agency `agency` matches."""
        return self.needle in haystack or agency in self.agencies or self.needle in _compact_name(agency)


@dataclass
class ResolvedQuery:
    """A parsed query with its terms resolved against the corpus's agencies (see the
    module docstring): ``groups`` (an AND of ORs) and ``excluded`` terms as `QueryTerm`s."""

    parsed: ParsedQuery
    groups: tuple[tuple[QueryTerm, ...], ...] = ()
    excluded: tuple[QueryTerm, ...] = ()

    @property
    def term_agencies(self) -> dict[str, frozenset[str]]:
        """For each included term naming agencies, their names: their sections match the
        term too, since every hit shows its agency's name."""
        return {term.text: term.agencies for group in self.groups for term in group if term.agencies}

    def accepts(self, text: str, agency: str = "", folded: str | None = None) -> bool:
        """Whether a section's stored text (or its agency's name) truly matches.

        `folded` is ``fold(text)`` when the caller has it already (the snippet needs it too).
        """
        haystack = compact(text if folded is None else folded)   # folding twice changes nothing
        if any(term.holds(haystack, agency) for term in self.excluded):
            return False
        return all(any(term.holds(haystack, agency) for term in group) for group in self.groups)

    def agency_terms(self, agency: str) -> list[str]:
        """The query terms that matched `agency`'s name (verbatim or abbreviated)."""
        return [term for term, names in self.term_agencies.items() if agency in names]


def agencies_named(term: str, agencies, literal: bool = False) -> frozenset[str]:
    """The agencies whose name contains `term` verbatim or (unless `literal`) through an
    abbreviation."""
    needle = compact(term)
    if not needle:
        return frozenset()
    named = {name for name in agencies if needle in _compact_name(name)}
    if literal:
        return frozenset(named)
    return frozenset(named | set(matching_agencies(term, agencies)))


def abbreviated(term: str, names) -> list[str]:
    """Of the agencies a term matched, those it matched through an abbreviation only."""
    needle = compact(term)
    return sorted(name for name in names if needle not in _compact_name(name))


def literal_query(text: str, term: str) -> str:
    """`text` (a parsed query's text: already capped) with `term` quoted wherever it
    stands as a word: the search for the text only."""
    pieces = []
    for token in _tokens(text):
        quoted = token.quoted or _term(token.text) == term
        pieces.append(("-" if token.negated else "") + (f'"{token.text}"' if quoted else token.text))
    return " ".join(pieces)


def rank_words(term: str, analyzer=None) -> list[str]:
    """The jieba words of `term` that rank its hits (cut by `analyzer`, the index's own
    dictionary), each once, in order."""
    return list(dict.fromkeys(jieba_terms(term, analyzer)))


def resolve(parsed: ParsedQuery, agencies=()) -> ResolvedQuery:
    """`parsed` with each term's agencies: `agencies` are the corpus's agency names
    (matched verbatim and, unless the term is quoted, through abbreviations)."""
    made: dict[tuple[str, bool], QueryTerm] = {}

    def term(text: str, literal: bool) -> QueryTerm:
        found = made.get((text, literal))
        if found is None:
            found = made[text, literal] = QueryTerm(text, agencies_named(text, agencies, literal), literal)
        return found

    groups = tuple(tuple(term(text, text in parsed.literal) for text in group) for group in parsed.groups)
    excluded = tuple(term(text, text in parsed.literal_excluded) for text in parsed.excluded)
    return ResolvedQuery(parsed, groups, excluded)
