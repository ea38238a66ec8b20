"""A scale corpus: N made-up annual reports, realistic in size, layout and wording.

`write(n, out, seed)` (``python -m bench.generate --reports N --out DIR --seed S``)
writes N report files (``000000.txt``, ``000001.md`` …) that the parser reads like
real ones; `generate(n, seed)` yields them with what the parser should find. Each report
is 6–10 KB of UTF-8 text with all six sections and the three tables of its template
(2019 or 2021), every figure non-zero; a few in twenty have an arithmetic slip,
as real ones do. Agencies are invented (madeup/agencies.py): provincial departments,
city bureaus, district and county bureaus, towns and sub-districts (镇、乡、街道) across
a dozen made-up provinces, each reporting for several of the years 2019–2025, so the
facets have many values and every (agency, year) is one report.

The wording varies the way postings need for a fair benchmark (madeup/wording.py):
sentences are drawn from templates whose slots (topics, channels, documents, numbers)
are filled with Zipf-like weights, so common words (公开, 申请) are in every report and
rare ones (`wording.RARE_TOPICS`, e.g. 古树名木) in a few; queries.py relies on both.

The audit (`index.audit`) has planted cases to find among mostly clean reports: an
agency reports for consecutive years (its 上年结转 equals last year's 结转下年度) and
on time (in January), except a few in a hundred, decided by a hash of the seed, the
agency and the year (`agencies.planted`): a cross-year mismatch, a late report, a
missing year, a ``problems`` section copied among agencies of the same year, and
prose stating more requests than the table. `Generated.planted` names them.

This module puts one report together (`report`): its figures, carried over from the
agency's previous year (`_carry`), its sections grown to size, its layout. The
reports are rendered by the layouts the parser tests use (`madeup.layouts`):
PDF-extracted text (cells one per line or rows on a line) and Markdown (pipe or tab
tables). Everything is a function of ``seed`` and the report's number: the same
command writes the same bytes.
"""
from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path

from corpus.report import APPLICANT_COLUMNS
from madeup import layouts
from madeup.agencies import COPY_GROUPS, Agency, assignments, planted, stable_hash
from madeup.wording import OVERVIEW_HEADINGS, Writer

MIN_BYTES = 6000
MAX_BYTES = 10000

LAYOUTS = ("pdf", "pdf_rows", "markdown", "markdown_tabs")
LAYOUT_WEIGHTS = (4, 2, 3, 1)


@dataclass
class Generated:
    """One generated report: its file name, bytes, and what the parser should find."""

    name: str
    data: bytes
    agency: str
    region: str
    year: int
    template: int
    figures: dict
    planted: tuple[str, ...] = ()   # the audit findings planted in it (`planted`)


def _carried(seed: int, agency: str, year: int) -> dict[str, int]:
    """结转下年度 per applicant column of the agency's report on `year` (1–9 each): the
    next year's report carries the same numbers over, so consecutive years agree."""
    rng = random.Random(f"carried:{seed}:{agency}:{year}")
    return {column: rng.randint(1, 9) for column in APPLICANT_COLUMNS}


def _carry(figures: dict, seed: int, agency: str, year: int, mismatch: bool) -> None:
    """Set 上年结转 and 结转下年度 from `_carried`, keeping 新收 + 上年结转 = 总计 + 结转下年度;
    a planted mismatch carries over one more than last year carried forward."""
    over, forward = _carried(seed, agency, year - 1), _carried(seed, agency, year)
    if mismatch:
        over["natural"] += 1
    for column in APPLICANT_COLUMNS:
        figures[f"requests.carried_over.{column}"] = over[column]
        figures[f"requests.carried_forward.{column}"] = forward[column]
        figures[f"requests.new.{column}"] = figures[f"requests.total.{column}"] + forward[column] - over[column]
    for row in ("new", "carried_over", "carried_forward"):
        figures[f"requests.{row}.total"] = sum(figures[f"requests.{row}.{c}"] for c in APPLICANT_COLUMNS)


def _render(made, layout: str) -> str:
    if layout == "pdf":
        return layouts.pdf_text(made)
    if layout == "pdf_rows":
        return layouts.pdf_text(made, rows_on_one_line=True)
    if layout == "markdown":
        return layouts.markdown(made)
    return layouts.markdown(made, sep="\t")


def report(i: int, agency: Agency, year: int, seed: int) -> Generated:
    """Report number i of the corpus of `seed`, for this agency and year."""
    rng = random.Random(f"report:{seed}:{i}")
    plants = planted(seed, agency.name, year)
    template = 2019 if year <= 2020 or rng.random() < 0.08 else 2021
    base = layouts.made_up(rng.getrandbits(31), template, slip=rng.random() < 0.05)
    _carry(base.figures, seed, agency.name, year, "cross_year" in plants)
    w = Writer(rng, agency, year)
    # The overview: an opening, then sub-headed parts (（一）主动公开 …), each a list
    # of paragraphs that grows with sentences of its own kind until the size is reached.
    parts = [(None, "overview", [w.paragraph("overview", (2, 3))])]
    for heading, kind in zip(OVERVIEW_HEADINGS, ("active", "request", "manage", "platform", "oversight")):
        if rng.random() < 0.85:
            parts.append((heading, kind, [w.paragraph(kind)]))
    problems = [w.paragraph("problems", (2, 3))]
    if "duplicate" in plants:
        # The same wording as the other copies of its group this year: written by a writer
        # of its own, for no agency in particular (我单位), and never grown.
        group = stable_hash("group", seed, agency.name) % COPY_GROUPS
        copier = Writer(random.Random(f"copy:{seed}:{year}:{group}"), Agency("", "", "city"), year)
        problems[:] = [copier.paragraph("problems", (4, 4)) for _ in range(2)]
    other = [w.sentence("other")]
    growable = [(kind, paragraphs) for _, kind, paragraphs in parts] + [("other", other)]
    if "duplicate" not in plants:
        growable.append(("problems", problems))
    new = int(base.figures["requests.new.total"])
    # Prose stating the year's new requests: right in some reports, wrong where planted.
    stated = new + 7 if "text_table" in plants else new if stable_hash("says", seed, agency.name, year) % 4 == 0 else None
    said = [f"全年共收到政府信息公开申请{stated}件。"] if stated is not None else []

    def texts() -> dict:
        overview = [line for heading, _, paragraphs in parts for line in ([heading] if heading else []) + paragraphs]
        return {"overview": overview, "proactive": [w.sentence("table_intro")],
                "requests": [w.sentence("requests_intro")] + said, "appeals": [w.sentence("appeals_intro")],
                "problems": problems, "other": other}

    intro_state = rng.getstate()
    month, day = rng.randint(1, 3), rng.randint(10, 28)   # two draws, as before: same wording
    published = f"{year + 1}-{max(month, 2):02d}-{day:02d}" if "late" in plants else f"{year + 1}-01-{day:02d}"
    made = dataclasses.replace(base, agency=agency.name, region=agency.region, year=year,
                               published=published, texts={})
    layout = rng.choices(LAYOUTS, weights=LAYOUT_WEIGHTS)[0]
    target = rng.randint(MIN_BYTES, MAX_BYTES - 1200)
    text = ""
    for _ in range(40):   # bounded: each step adds one paragraph of 40–300 characters
        state = rng.getstate()
        rng.setstate(intro_state)          # the table introductions stay the same as it grows
        made.texts = texts()
        rng.setstate(state)
        text = _render(made, layout)
        if len(text.encode()) >= target:
            break
        kind, paragraphs = rng.choice(growable)
        paragraphs.append(w.paragraph(kind))
    suffix = ".md" if layout.startswith("markdown") else ".txt"
    return Generated(f"{i:06d}{suffix}", text.encode(), agency.name, agency.region, year,
                     template, dict(made.figures), plants)


def generate(n: int, seed: int = 1):
    """Yield the n reports of the corpus of `seed`, in order."""
    for i, (agency, year) in enumerate(assignments(n, seed)):
        yield report(i, agency, year, seed)


def write(n: int, out: Path, seed: int = 1) -> tuple[int, int]:
    """Write the corpus into `out`; return (files, bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    files = size = 0
    for generated in generate(n, seed):
        (out / generated.name).write_bytes(generated.data)
        files += 1
        size += len(generated.data)
    return files, size
