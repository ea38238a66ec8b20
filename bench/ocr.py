"""OCR measured on our own scanned reports: which engine, and what the parser then gets.

``python -m bench.ocr engines --reports 2 --dpi 150`` typesets made-up reports
(`tests.scans`: both table templates, portrait and landscape layouts), scans them
(grey, turned, noisy, JPEG) and reads every page with each candidate engine:
RapidOCR (`rapidocr-onnxruntime`, the one `corpus.ocr` uses) and Debian's tesseract
(``chi_sim``, if installed). For each it prints the seconds per page and how many of
the printed figures appear among the numbers it read (a figure missing or misread
counts as missed) — the engines' raw accuracy, before any checking.

``python -m bench.ocr parse --reports 6 --dpi 150`` parses the scanned PDFs (and a
report under the 2008 条例) with the project's parser and counts, against the made-up
reports' true figures, the figures exact, wrong and absent, and whether every table
with an absent figure has a failing ``tables.<n>`` check.
"""
from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import time

from madeup import layouts, scans

FIXTURES = [(2021, "portrait"), (2019, "landscape"), (2021, "wide"), (2019, "portrait"),
            (2021, "landscape"), (2019, "wide")]


def fixtures(count: int, dpi: int):
    """(name, made-up report, scanned page pictures) for `count` reports."""
    for n in range(count):
        template, layout = FIXTURES[n % len(FIXTURES)]
        report = layouts.made_up(10 + n, template=template)
        yield f"{template}-{layout}-{10 + n}", report, scans.scan(scans.pages(report, dpi, layout), seed=n)


def _printed(report) -> list[str]:
    return [f"{v:g}" if isinstance(v, float) else str(abs(v)) for v in report.figures.values()]


def _rapidocr(picture) -> str:
    import numpy as np

    from corpus.ocr import engine
    return "\n".join(box.text for box in engine.read_page(np.asarray(picture.convert("RGB"))))


def _tesseract(picture) -> str:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return subprocess.run(["tesseract", "-", "-", "-l", "chi_sim", "--psm", "3"], input=buffer.getvalue(),
                          capture_output=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
                          check=True).stdout.decode("utf-8", "replace")


def engines(count: int, dpi: int) -> None:
    readers = {"rapidocr": _rapidocr}
    if subprocess.run(["sh", "-c", "command -v tesseract"], capture_output=True).returncode == 0:
        readers["tesseract"] = _tesseract
    totals = {name: [0, 0, 0.0, 0] for name in readers}   # found, printed, seconds, pages
    for name, report, pictures in fixtures(count, dpi):
        for engine_name, read in readers.items():
            started = time.monotonic()
            text = "\n".join(read(picture) for picture in pictures)
            seconds = time.monotonic() - started
            numbers = re.findall(r"\d+(?:\.\d+)?", text)   # digits apart, as printed in cells
            pool = {}
            for number in numbers:
                pool[number] = pool.get(number, 0) + 1
            found = 0
            for value in _printed(report):
                if pool.get(value):
                    pool[value] -= 1
                    found += 1
            total = totals[engine_name]
            total[0] += found
            total[1] += len(report.figures)
            total[2] += seconds
            total[3] += len(pictures)
            print(f"{name} {engine_name}: {found}/{len(report.figures)} figures among its numbers, "
                  f"{seconds / len(pictures):.1f} s a page", flush=True)
    for engine_name, (found, printed, seconds, pages) in totals.items():
        print(f"TOTAL {engine_name}: {found}/{printed} figures read ({100 * found / printed:.1f} %), "
              f"{seconds / pages:.1f} s a page over {pages} pages at {dpi} dpi")


def parse(count: int, dpi: int) -> None:
    from corpus.parse import parse_bytes

    exact = wrong = absent = pages = 0
    unnamed: list[str] = []
    started = time.monotonic()
    for name, report, pictures in fixtures(count, dpi):
        pages += len(pictures)
        result = parse_bytes(scans.image_pdf(pictures, dpi), name + ".pdf", ".pdf")
        got = getattr(result, "figures", {})
        e = sum(1 for k, v in report.figures.items() if got.get(k) == v)
        w = [k for k, v in report.figures.items() if k in got and got[k] != v]
        missing = [k for k in report.figures if k not in got]
        failing = {c.rule for c in getattr(result, "checks", []) if not c.ok and c.rule.startswith("tables.")}
        tables = {"proactive": "tables.2", "requests": "tables.3", "appeals": "tables.4"}
        unnamed += [k for k in missing if tables[k.split(".")[0]] not in failing]
        exact, wrong, absent = exact + e, wrong + len(w), absent + len(missing)
        print(f"{name}: exact {e}/{len(report.figures)}, wrong {w}, absent {len(missing)}, "
              f"ocr={getattr(result, 'ocr', None)}", flush=True)
    total = exact + wrong + absent
    print(f"TOTAL: {exact}/{total} figures exact ({100 * exact / total:.2f} %), {wrong} wrong, {absent} absent "
          f"({len(unnamed)} not named by a failing tables.<n> check); {pages} pages in "
          f"{time.monotonic() - started:.0f} s ({(time.monotonic() - started) / pages:.1f} s a page) at {dpi} dpi")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("engines", "parse"))
    parser.add_argument("--reports", type=int, default=2)
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args(argv)
    (engines if args.what == "engines" else parse)(args.reports, args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
