"""Agency abbreviations (工信局, 发改委 …) and the agency names they stand for.

People type 工信局; the corpus says 海东市工业和信息化局. ``aliases.tsv`` (data, next
to this file) maps each abbreviation to the words of the full names; a query term
that contains an abbreviation then also matches every agency whose name has those
words in order, with whatever the term says around the abbreviation:

    海东工信局 -> 海东 · 工业 · 信息化局   matches 海东市工业和信息化局

API: `load_aliases(path=ALIASES_PATH) -> dict[str, tuple[str, ...]]` (abbreviation ->
alternatives, each alternative its words joined by spaces), `agency_pattern(term,
aliases=None) -> re.Pattern | None` (None when the term holds no abbreviation), and
`matching_agencies(term, agencies, aliases=None) -> list[str]`.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from index.folding import compact, fold, fold_spaced

ALIASES_PATH = Path(__file__).with_name("aliases.tsv")
WORD_GAP = ".{0,4}"      # between the words of a full name (和, 与, 广播电视 …)
PREFIX_GAP = ".{0,3}"    # between the term's own prefix and the full name (海东 → 海东市)


def load_aliases(path: Path | str = ALIASES_PATH) -> dict[str, tuple[str, ...]]:
    """Read an aliases file: ``abbreviation<TAB>alternative|alternative``, # comments."""
    aliases: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        abbreviation, tab, alternatives = line.partition("\t")
        names = tuple(fold_spaced(a) for a in alternatives.split("|") if a.strip())
        if not tab or not abbreviation.strip() or not names:
            raise ValueError(f"{path}:{number}: expected 'abbreviation<TAB>name|name'")
        aliases[fold(abbreviation.strip())] = names
    return aliases


@functools.lru_cache(maxsize=1)
def _default_aliases() -> dict[str, tuple[str, ...]]:
    return load_aliases()


def _alternative_regex(alternative: str) -> str:
    return WORD_GAP.join(re.escape(word) for word in alternative.split())


@functools.lru_cache(maxsize=512)
def _pattern(term: str, items: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern | None:
    # The longest abbreviation inside the term wins (市场监管局 over 监管局, if both).
    for abbreviation, alternatives in sorted(items, key=lambda item: -len(item[0])):
        at = term.find(abbreviation)
        if at < 0:
            continue
        prefix, suffix = term[:at], term[at + len(abbreviation):]
        names = "|".join(_alternative_regex(a) for a in (abbreviation, *alternatives))
        regex = (re.escape(prefix) + PREFIX_GAP if prefix else "") + f"(?:{names})" + re.escape(suffix)
        return re.compile(regex)
    return None


def agency_pattern(term: str, aliases: dict | None = None) -> re.Pattern | None:
    """A regex finding the agencies `term` names through an abbreviation, else None."""
    aliases = _default_aliases() if aliases is None else aliases
    squeezed = compact(term)
    if not squeezed:
        return None
    return _pattern(squeezed, tuple(aliases.items()))


def matching_agencies(term: str, agencies, aliases: dict | None = None) -> list[str]:
    """The names among `agencies` that `term` stands for through an abbreviation."""
    pattern = agency_pattern(term, aliases)
    if pattern is None:
        return []
    return [name for name in agencies if pattern.search(fold(name))]
