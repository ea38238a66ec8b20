"""`duplicate` (内容雷同): a section that copies another report's.

The ``overview`` and ``problems`` sections are compared after reduction: the prose
without table rows (`index.audit.prose`), without the agency's and its region's
names, digits, whitespace and punctuation — what is left is the wording. A section
is a copy when its reduced text has at least `MIN_CHARS` characters and shares at
least `THRESHOLD` of its 5-character shingles (Jaccard) with the same section,
reduced, of the same agency's report on the previous year, or of another agency's
report on the same year.

Comparing every pair of a year's sections is quadratic, so candidates come from
datasketch's MinHash LSH (banded at `LSH_THRESHOLD`, below the rule's, so that a
pair whose estimate falls a little short is still checked); each candidate pair is
then verified with the exact Jaccard of the shingle sets. The previous-year
comparison is one pair per report and is computed exactly.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from corpus.report import SECTION_TITLES, Report
from index.audit.kinds import finding
from index.audit.prose import prose_lines
from index.ids import report_id

SECTIONS = ("overview", "problems")
SHINGLE = 5
MIN_CHARS = 150
THRESHOLD = 0.9
LSH_THRESHOLD = 0.7
NUM_PERM = 64
SCHEME = "affine32"       # datasketch's 32-bit scheme, fed the low 32 bits of each shingle's hash
# Digits, whitespace, punctuation and symbols: everything but letters (\W), plus \d and _.
_NOT_WORDING = re.compile(r"[\W\d_]")


def reduce_text(text: str, names: tuple[str, ...] = ()) -> str:
    """The wording of a section: prose only, without `names`, digits, whitespace, punctuation."""
    prose = "".join(prose_lines(text))
    prose = unicodedata.normalize("NFKC", prose)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        prose = prose.replace(unicodedata.normalize("NFKC", name), "")
    return _NOT_WORDING.sub("", prose)


def shingles(reduced: str) -> np.ndarray:
    """The set of `SHINGLE`-character substrings, as their sorted distinct 64-bit hashes.

    A set of strings costs ~80 bytes a shingle (200k sections at 100k reports: several
    GB); 8 bytes a shingle it is 16 times smaller. Python's string hash is consistent
    within the process that compares them, and two different shingles of one pair
    share a 64-bit hash with negligible odds, so the Jaccard stays exact in practice.
    """
    grams = (reduced[i:i + SHINGLE] for i in range(len(reduced) - SHINGLE + 1))
    return np.unique(np.fromiter(map(hash, grams), dtype=np.int64))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|a ∩ b| / |a ∪ b| of two sorted distinct hash arrays (0 when either is empty)."""
    if not a.size or not b.size:
        return 0.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


@dataclass
class Part:
    """One section of one report, reduced and shingled (only those long enough)."""

    rid: str
    agency: str
    year: int
    section: str
    shingles: np.ndarray      # sorted distinct shingle hashes (`shingles`)


def parts(report: Report) -> list[Part]:
    """The report's comparable sections (reduced text of at least `MIN_CHARS`)."""
    rid = report_id(report.agency, report.year)
    out = []
    for key in SECTIONS:
        section = report.section(key)
        if section is None:
            continue
        reduced = reduce_text(section.text, (report.agency, report.region))
        if len(reduced) >= MIN_CHARS:
            out.append(Part(rid, report.agency, int(report.year), key, shingles(reduced)))
    return out


def _sentence(part: Part, other: Part, similarity: float, same_year: bool) -> str:
    title = SECTION_TITLES[part.section]
    whose = f"{other.agency}同年度报告" if same_year else f"本机关 {other.year} 年度报告"
    return (f"“{title}”去除机关名称、数字和标点后，与{whose}的同一章节有 {similarity:.0%} 相同"
            f"（5 字片段 Jaccard 相似度 {similarity:.2f}）。")


def _duplicate(part: Part, other: Part, similarity: float, same_year: bool) -> dict:
    return finding("duplicate", _sentence(part, other, similarity, same_year), section=part.section,
                   other=other.rid, similarity=round(similarity, 4),
                   scope="same_year" if same_year else "previous_year")


def previous_year(report_parts: list[Part], previous_parts: list[Part]) -> list[dict]:
    """Sections copied from the agency's own report on the year before (exact Jaccard)."""
    before = {part.section: part for part in previous_parts}
    out = []
    for part in report_parts:
        other = before.get(part.section)
        if other is not None and other.year == part.year - 1:
            similarity = jaccard(part.shingles, other.shingles)
            if similarity >= THRESHOLD:
                out.append(_duplicate(part, other, similarity, same_year=False))
    return out


def _low32(value: int) -> int:
    return value & 0xFFFFFFFF


def _minhash(part: Part, permutations=None) -> MinHash:
    # The shingles are already hashed: datasketch takes their low 32 bits (its 32-bit
    # scheme) instead of hashing strings with sha1; the permutations are made once.
    sketch = MinHash(num_perm=NUM_PERM, hashfunc=_low32, permutations=permutations, scheme=SCHEME)
    sketch.update_batch(part.shingles.tolist())
    return sketch


def same_year(all_parts: list[Part]) -> dict[str, list[dict]]:
    """Findings per report id for sections that copy another agency's on the same year.

    Each section gets one finding naming its most similar twin (ties: the smaller
    report id) and, under ``twins``, every twin with its similarity.
    """
    groups: dict[tuple[int, str], list[Part]] = {}
    for part in all_parts:
        groups.setdefault((part.year, part.section), []).append(part)
    twins: dict[tuple[str, str], list[tuple[float, Part]]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        permutations = MinHash(num_perm=NUM_PERM, hashfunc=_low32, scheme=SCHEME).permutations
        sketches = [_minhash(part, permutations) for part in group]
        for i, sketch in enumerate(sketches):
            lsh.insert(i, sketch, check_duplication=False)
        for i, sketch in enumerate(sketches):
            for j in lsh.query(sketch):
                if j <= i or group[i].agency == group[j].agency:
                    continue
                similarity = jaccard(group[i].shingles, group[j].shingles)
                if similarity >= THRESHOLD:
                    twins.setdefault((group[i].rid, group[i].section), []).append((similarity, group[j]))
                    twins.setdefault((group[j].rid, group[j].section), []).append((similarity, group[i]))
    part_of = {(part.rid, part.section): part for part in all_parts}
    out: dict[str, list[dict]] = {}
    for (rid, section), found in sorted(twins.items()):
        found.sort(key=lambda pair: (-pair[0], pair[1].rid))
        best_similarity, best = found[0]
        item = _duplicate(part_of[(rid, section)], best, best_similarity, same_year=True)
        item["twins"] = [{"other": other.rid, "similarity": round(sim, 4)} for sim, other in found]
        if len(found) > 1:
            item["detail"] += f"同年另有 {len(found) - 1} 份其他机关的报告与它雷同。"
        out.setdefault(rid, []).append(item)
    return out
