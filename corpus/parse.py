"""One file -> one `Report`, or a `Refusal` saying in one sentence why not.

The steps: a reader turns the bytes into lines and tables (`corpus.readers`), the
title and letterhead give agency, region and year (`corpus.meta`), headings split
the six sections (`corpus.sections`), the tables give the figures
(`corpus.figures`) and the figures the checks (`corpus.checks`). Nothing here
raises for bad input: every failure becomes a `Refusal`.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from corpus import checks, chrome, figures, meta, prose, sections
from corpus.identity import identify
from corpus.clean import fold, is_running_header, printable
from corpus.document import Document, Table
from config.settings import current
from corpus.limits import MEMORY_REFUSAL
from corpus.ocr import confirm, session
from corpus.numbers import is_figure
from corpus import readers
from corpus.readers import read_document
from corpus.report import LAST_2008_YEAR, Check, NotAReport, Refusal, Report, Section
from corpus.stream import Stream

_2021_HEADERS = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额|本年处理决定数量")
_2019_HEADERS = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/?减|政府集中采购")


def parse_file(path: str | Path, ocr_cache: Path | None = None) -> Report | Refusal:
    """Parse the report file at `path`; pictures read by OCR are cached in `ocr_cache`."""
    path = Path(path)
    try:
        if path.stat().st_size > current().max_file_bytes:  # refused before a byte is read into memory
            return Refusal(str(path), readers.TOO_LARGE.format(mb=current().max_file_mb))
        data = path.read_bytes()
    except OSError as exc:
        return Refusal(str(path), f"The file could not be read ({exc.strerror or exc}).")
    return parse_bytes(data, str(path), path.suffix, ocr_cache)


def parse_bytes(data: bytes, source: str, suffix: str = "", ocr_cache: Path | None = None) -> Report | Refusal:
    """Parse a report's raw bytes; `suffix` (".html", ".pdf" …) helps choose the reader.
    What OCR reads of its pictures is kept in, and taken from, the folder `ocr_cache`."""
    try:
        with session.opened(data, ocr_cache):
            document = read_document(data, suffix)
        return _parse(document, source)
    except NotAReport as exc:
        return Refusal(source, _sentence(str(exc)))
    except MemoryError:
        return Refusal(source, MEMORY_REFUSAL.format(mb=current().parse_memory_mb))
    except RecursionError:
        return Refusal(source, "The file is too deeply nested to read.")
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


def _figures(document: Document, lines: list[str], parts: list, year: int) -> tuple[int, dict, list[Check]]:
    """(template, figures, checks) from the three table sections (the whole report for a
    missing one); a report on a year before 2019 has no national tables. In a report
    read by OCR, a figure is kept only where its two readings or the arithmetic confirm
    it (`corpus.ocr.confirm`)."""
    if year <= LAST_2008_YEAR:
        return 2008, {}, []
    template, reads = _reads(document.blocks, lines, parts, year)
    if document.ocr:
        _, seconds = _reads(confirm.second_reading(document.blocks, document.ocr_lines), lines,
                            confirm.second_parts(parts, document.ocr_lines), year, template)
        kept = confirm.confirmed({k: v for read in reads.values() for k, v in read.figures.items()},
                                 {k: v for read in seconds.values() for k, v in read.figures.items()})
        for number, read in reads.items():
            read.figures = {k: v for k, v in read.figures.items() if k in kept}
            read.figures.update({k: kept[k] for k in read.expected if k in kept})
            read.not_applicable &= seconds[number].not_applicable
    found = {k: v for read in reads.values() for k, v in read.figures.items()}
    return template, found, checks.run_checks(found) + checks.table_checks(reads)


def _reads(blocks: list, lines: list[str], parts: list, year: int, template: int | None = None) -> tuple[int, dict]:
    """(template, each table's `figures.TableRead`) from the blocks and their sections."""
    blocks_of = {part.key: part.blocks for part in parts}
    table_keys = ("proactive", "requests", "appeals")
    if template is None:
        tables_text = fold("".join(
            "".join(b.lines()) if isinstance(b, Table) else b
            for key in table_keys for b in (blocks_of.get(key) or [])
        )) or fold("".join(lines))
        template = template_of(tables_text, year)
    whole = None if all(blocks_of.get(key) for key in table_keys) else figures.stream(blocks)
    reads = {}
    # Table 3 first: how its arithmetic shows the text prints a block of values is how
    # table 2's rows of one width are read.
    for number, key, reader in ((3, "requests", figures.requests),
                                (2, "proactive", lambda s, i: figures.proactive(s, template, i, reads[3].order)),
                                (4, "appeals", figures.appeals)):
        reads[number] = reader(_table_stream(blocks_of.get(key), whole), bool(blocks_of.get(key)))
    return template, dict(sorted(reads.items()))


def _sections(document: Document, preamble: list, parts: list, title_end: int | None, agency: str) -> list[Section]:
    """Each section's prose and tables; the intro after the title opens the first, the signature closes nothing."""
    intro = _intro(document.blocks, preamble, title_end)
    out = []
    for i, part in enumerate(parts):
        blocks = part.blocks
        if i == 0 and intro:
            blocks = intro + blocks
        if i == len(parts) - 1:
            blocks = _drop_signature(blocks, agency)
        text, tables = prose.prose_and_tables(blocks)
        out.append(Section(part.key, part.title, text, tables))
    return out


def _parse(document: Document, source: str) -> Report:
    document = dataclasses.replace(
        document, blocks=[b for b in document.blocks if isinstance(b, Table) or not chrome.is_chrome(b)])
    lines = _lines(document)
    preamble, parts = sections.split(document.blocks)
    found = None
    if len(parts) < 2:
        found = _report_on_2008(document, lines, source)
        if found is None:
            raise NotAReport("it is not a government-information-disclosure annual report "
                             "(fewer than two of its six sections were found).")
    found = found or identify(document, lines, source)
    if meta.is_explainer(found.title_text) or (document.title and meta.is_explainer(document.title)):
        raise NotAReport("it is an explainer (图解/解读) of a report, not the report itself.")
    title = found.title
    blocks = _without_running_headers(document.blocks, found.agency, found.title_text, title.end if title else -1)
    headers_gone = blocks != document.blocks
    if headers_gone:
        document = dataclasses.replace(document, blocks=blocks)
    if headers_gone or found.year <= LAST_2008_YEAR:
        split = sections.split_2008 if found.year <= LAST_2008_YEAR else sections.split
        preamble, parts = split(blocks)
    template, found_figures, found_checks = _figures(document, lines, parts, found.year)
    # Whatever a table held, a figure is a finite number below 10^12 or absent.
    found_figures = {key: value for key, value in found_figures.items() if is_figure(value)}
    return _printable(Report(
        source=source,
        agency=found.agency,
        region=meta.region_of(found.agency),
        year=found.year,
        published=meta.published(document.meta_lines, lines, title.index if title else 0),
        template=template,
        sections=_sections(document, preamble, parts, title.end if title else None, found.agency),
        figures=found_figures,
        checks=found_checks,
        ocr=document.ocr,
    ))


def _printable(report: Report) -> Report:
    """The report with every text it holds `printable`: no \\x01, \\x1b, U+FFFE … left from a PDF."""
    return dataclasses.replace(
        report, agency=printable(report.agency), region=printable(report.region),
        published=report.published and printable(report.published),
        sections=[dataclasses.replace(s, title=printable(s.title), text=printable(s.text),
                          tables=[[[printable(cell) for cell in row] for row in table] for table in s.tables])
                  for s in report.sections],
        checks=[dataclasses.replace(c, detail=printable(c.detail)) for c in report.checks])


def _report_on_2008(document: Document, lines: list[str], source: str):
    """The identity of a report on a year before 2019 whose parts the 2008 splitter finds, else None."""
    try:
        found = identify(document, lines, source)
    except NotAReport:
        return None
    if found.year > LAST_2008_YEAR or len(sections.split_2008(document.blocks)[1]) < 2:
        return None
    return found


def _without_running_headers(blocks: list, agency: str, title: str, title_end: int) -> list:
    """The blocks with each page's running header (title, agency) after the title blanked:
    blank, not gone, so line positions stay as the title was found at."""
    out, line = [], -1
    for i, block in enumerate(blocks):
        if isinstance(block, str):
            line += 1
            if line > title_end and is_running_header(block, agency, title) and not _signs(blocks, i):
                block = ""
        out.append(block)
    return out


def _signs(blocks: list, i: int) -> bool:
    """The agency's name at `i` is the signature: the next line that has text is a date."""
    following = next((b for b in blocks[i + 1:] if not isinstance(b, str) or b.strip()), None)
    return isinstance(following, str) and bool(meta.date_line(following))


def _table_stream(blocks: list | None, whole: Stream | None) -> Stream:
    """The section's tables and the short lines around them (labels printed beside a table),
    or all its lines when it has no table; the whole report when the section is missing."""
    if not blocks:
        return whole
    if any(isinstance(b, Table) for b in blocks):
        blocks = [b for b in blocks if isinstance(b, Table) or not _PROSE.search(b) or figures.prints_a_row_label(b)]
    return figures.stream([b for b in blocks if isinstance(b, Table) or not meta.date_line(b)])


_PROSE = re.compile(r"[。，；！？]|^.{41,}$")


def _intro(blocks: list, preamble: list, title_end: int | None) -> list:
    """The preamble's paragraphs after the title's last line (根据《条例》…), for the first
    section; with no title line, the whole preamble's paragraphs."""
    positions = [i for i, block in enumerate(blocks) if isinstance(block, str)]
    title_position = positions[title_end] if title_end is not None else -1
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
