"""One file -> one `Report`, or a `Refusal` saying in one sentence why not.

The steps: a reader turns the bytes into lines and tables (`corpus.readers`), the
title and letterhead give agency, region and year (`corpus.meta`), headings split
the six sections (`corpus.sections`), the tables give the figures
(`corpus.figures`) and the figures the checks (`corpus.checks`). Nothing here
raises for bad input: every failure becomes a `Refusal`.
"""
from __future__ import annotations

import re
from pathlib import Path

from corpus import checks, figures, meta, sections
from corpus.clean import fold
from corpus.document import Document, Table
from corpus import readers
from corpus.readers import read_document
from corpus.report import NotAReport, Refusal, Report, Section

_2021_HEADERS = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额|本年处理决定数量")
_2019_HEADERS = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/?减|政府集中采购")


def parse_file(path: str | Path) -> Report | Refusal:
    """Parse the report file at `path`."""
    path = Path(path)
    try:
        if path.stat().st_size > readers.MAX_BYTES:  # refused before a byte is read into memory
            return Refusal(str(path), f"The file is larger than {readers.MAX_BYTES // (1024 * 1024)} MB.")
        data = path.read_bytes()
    except OSError as exc:
        return Refusal(str(path), f"The file could not be read ({exc.strerror or exc}).")
    return parse_bytes(data, str(path), path.suffix)


def parse_bytes(data: bytes, source: str, suffix: str = "") -> Report | Refusal:
    """Parse a report's raw bytes; `suffix` (".html", ".pdf" …) helps choose the reader."""
    try:
        return _parse(read_document(data, suffix), source)
    except NotAReport as exc:
        return Refusal(source, _sentence(str(exc)))
    except (RecursionError, MemoryError):
        return Refusal(source, "The file is too deeply nested or too large to read.")
    except Exception as exc:  # noqa: BLE001 - a damaged file must never stop a batch
        return Refusal(source, f"The file could not be read as a report ({type(exc).__name__}).")


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]) if text else "The file is not a readable report."


def _lines(document: Document) -> list[str]:
    return [block for block in document.blocks if isinstance(block, str)]


def template_of(text: str, year: int) -> int:
    """2019 or 2021, told by the table headers in the folded text; by the year only when no header says."""
    new, old = len(_2021_HEADERS.findall(text)), len(_2019_HEADERS.findall(text))
    if new != old:
        return 2021 if new > old else 2019
    if figures.has_three_other_rows(text):
        return 2021
    return 2021 if year >= 2021 else 2019


def _page_title(document: Document) -> str:
    """The page's <title> without the site's name after it (…报告_政府信息公开年报_某某网)."""
    return re.split(r"[_|｜]", document.title)[0] if document.title else ""


def _find_title(document: Document, lines: list[str]):
    """(title line index or None, year, agency part) from the body, else from the page title."""
    found = meta.find_title(lines)
    if found is None and document.title:
        found = meta.find_title([_page_title(document)])
        if found:
            return None, found[1], found[2]
    return found


def _agency(document: Document, lines: list[str], title_index: int | None, title_line: str, named: str) -> str:
    """The publishing agency: named in the title (before or after the year), else the
    letterhead above it, else the page title; a place alone becomes its government."""
    agency = named
    if not meta.looks_like_agency(agency):
        agency = meta.agency_after_year(title_line)
    if not meta.looks_like_agency(agency):
        agency = meta.agency_before(lines, title_index) if title_index is not None else ""
    if not agency and document.title:
        found = meta.find_title([_page_title(document)])
        if found and meta.looks_like_agency(found[2]):
            agency = found[2]
    if not agency:
        raise NotAReport("the publishing agency's name was not found above or in the title.")
    if meta.region_of(agency) == agency:
        agency = meta.government_of(agency, "\n".join(lines))
    return agency


def _figures(document: Document, lines: list[str], parts: list, year: int) -> tuple[int, dict]:
    """(template, figures) from the three table sections (the whole report for a missing one)."""
    blocks_of = {part.key: part.blocks for part in parts}
    table_keys = ("proactive", "requests", "appeals")
    tables_text = fold("".join(
        "".join(b.lines()) if isinstance(b, Table) else b
        for key in table_keys for b in (blocks_of.get(key) or [])
    )) or fold("".join(lines))
    template = template_of(tables_text, year)
    whole = None if all(blocks_of.get(key) for key in table_keys) else figures.stream(document.blocks)
    found: dict = {}
    for key, reader in (("proactive", lambda s: figures.proactive(s, template)),
                        ("requests", figures.requests), ("appeals", figures.appeals)):
        found.update(reader(_table_stream(blocks_of.get(key), whole)))
    return template, found


def _sections(document: Document, preamble: list, parts: list, title_index: int | None, agency: str) -> list[Section]:
    """Each section's prose and tables; the intro after the title opens the first, the signature closes nothing."""
    intro = _intro(document.blocks, preamble, title_index)
    out = []
    for i, part in enumerate(parts):
        blocks = part.blocks
        if i == 0 and intro:
            blocks = intro + blocks
        if i == len(parts) - 1:
            blocks = _drop_signature(blocks, agency)
        text, tables = sections.prose_and_tables(blocks)
        out.append(Section(part.key, part.title, text, tables))
    return out


def _parse(document: Document, source: str) -> Report:
    lines = _lines(document)
    preamble, parts = sections.split(document.blocks)
    found = _find_title(document, lines)
    if found is None:
        if len(parts) < 3:
            raise NotAReport("it is not a government-information-disclosure annual report "
                             "(no report title and no report sections found).")
        raise NotAReport("the report's title with the year it covers was not found.")
    title_index, year, named = found
    title_line = lines[title_index] if title_index is not None else (document.title or "")
    if meta.is_explainer(title_line) or (document.title and meta.is_explainer(document.title)):
        raise NotAReport("it is an explainer (图解/解读) of a report, not the report itself.")
    agency = _agency(document, lines, title_index, title_line, named)
    if len(parts) < 2:
        raise NotAReport("it is not a government-information-disclosure annual report "
                         "(fewer than two of its six sections were found).")
    template, found_figures = _figures(document, lines, parts, year)
    return Report(
        source=source,
        agency=agency,
        region=meta.region_of(agency),
        year=year,
        published=meta.published(document.meta_lines, lines, title_index or 0),
        template=template,
        sections=_sections(document, preamble, parts, title_index, agency),
        figures=found_figures,
        checks=checks.run_checks(found_figures),
    )


def _table_stream(blocks: list | None, whole: figures.Stream | None) -> figures.Stream:
    """The section's tables when it has any, else its lines; the whole report when the section is missing."""
    if not blocks:
        return whole
    tables = [b for b in blocks if isinstance(b, Table)]
    return figures.stream(tables if tables else blocks)


def _intro(blocks: list, preamble: list, title_index: int | None) -> list:
    """The preamble's paragraphs after the title line (根据《条例》…), for the first section."""
    if title_index is None:
        return []
    positions = [i for i, block in enumerate(blocks) if isinstance(block, str)]
    title_position = positions[title_index]
    return [b for b in preamble[title_position + 1:] if isinstance(b, str) and b.strip() and not _furniture(b)]


def _furniture(line: str) -> bool:
    """The title printed again (whole or broken after the year), a dateline, a 来源/时间 line."""
    short = len(line.strip()) < 45 and not re.search(r"[。，；：]", line)
    title_again = short and bool(meta.find_title([line]) or re.search(r"^\D{2,30}20\d\d\s*年度?\s*$", line))
    return bool(title_again or meta.meta_date([line]) or meta.date_line(line))


def _drop_signature(blocks: list, agency: str) -> list:
    """The last section without the signature: the agency's name and a date standing alone."""
    blocks = list(blocks)
    while blocks:
        last = blocks[-1]
        if isinstance(last, str) and (
            not last.strip() or meta.date_line(last) or last.strip().replace(" ", "") == agency
        ):
            blocks.pop()
        else:
            break
    return blocks
