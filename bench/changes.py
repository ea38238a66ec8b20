"""``python -m bench.changes --index DIR``: what comparing each report with its predecessor costs.

Three figures, each in CPU time of this process (``time.process_time``), so a machine
busy with other work inflates them less than wall-clock seconds:

1. **the build's share**: every report read back from the index under ``DIR``, then
   `index.changes.run.change_records` over them agency by agency — what ``index
   build`` adds after parsing (the reading back is not counted: the build has each
   agency's reports in hand for the audit anyway);
2. **a page's share**: for ``--pages`` reports that have a predecessor (chosen with a
   fixed seed), the two `ReportView`s the contract gives and `search.diff.report_diff`
   of them — what the report page adds for 与上年相比 — each in ms: median, p95, max
   (the index opened before the first);
3. **/changes**: the listing of new requests between the latest two years, the first
   time (reading the figure's column) and then each time (median of ``--listings``).

Prints one JSON object; bench/RESULTS.md keeps the figures with this command.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import replace

from config.settings import DEFAULTS
from corpus.report import Report
from index import schema as f
from index.store import IndexHandle
from index.changes.run import change_records
from search.changes import ChangesRequest
from search.diff import predecessor, report_diff
from search.engines import open_service


def read_reports(root) -> list[Report]:
    """Every report the live generation under `root` holds."""
    handle = IndexHandle(root)
    try:
        with handle.searcher() as searcher:
            return [Report.from_json(json.loads(stored[f.REPORT_JSON]))
                    for stored in searcher.documents(**{f.KIND: f.KIND_REPORT})]
    finally:
        handle.close()


def build_share(reports: list[Report]) -> dict:
    started = time.process_time()
    records = change_records(reports)
    seconds = time.process_time() - started
    classes: dict[str, int] = {}
    for found in records.values():
        if found.get("text"):
            classes[found["text"]] = classes.get(found["text"], 0) + 1
    return {"reports": len(reports), "cpu_seconds": round(seconds, 2),
            "ms_per_report": round(1000 * seconds / max(1, len(reports)), 2),
            "with_predecessor": sum(classes.values()), "classes": classes}


def page_share(root, reports: list[Report], pages: int, seed: int) -> dict:
    service = open_service(replace(DEFAULTS, index_path=str(root)))
    ids = sorted(f"{r.agency}-{r.year}" for r in reports)
    random.Random(seed).shuffle(ids)
    service.report(ids[-1])       # opens the index (once per process, not per page)
    spent: list[float] = []
    for report_id in ids:
        if len(spent) == pages:
            break
        started = time.process_time()
        later = service.report(report_id)
        if predecessor(later) is None:
            continue
        report_diff(service.report(predecessor(later)), later)
        spent.append(1000 * (time.process_time() - started))
    service.close()
    spent.sort()
    return {"pages": len(spent), "median_ms": round(statistics.median(spent), 1) if spent else None,
            "p95_ms": round(spent[int(0.95 * (len(spent) - 1))], 1) if spent else None,
            "max_ms": round(spent[-1], 1) if spent else None}


def listing_share(root, listings: int) -> dict:
    service = open_service(replace(DEFAULTS, index_path=str(root)))
    spent = []
    for _ in range(listings + 1):
        started = time.process_time()
        found = service.changes(ChangesRequest())
        spent.append(1000 * (time.process_time() - started))
    service.close()
    return {"compared": found.compared, "first_ms": round(spent[0], 1),
            "median_ms": round(statistics.median(spent[1:]), 1) if listings else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.changes", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="an index root built by python -m index build")
    parser.add_argument("--pages", type=int, default=300, help="report pages to diff (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="which reports (default 1)")
    parser.add_argument("--listings", type=int, default=20, help="/changes listings after the first (default 20)")
    args = parser.parse_args(argv)
    reports = read_reports(args.index)
    result = {"build": build_share(reports), "page": page_share(args.index, reports, args.pages, args.seed),
              "listing": listing_share(args.index, args.listings)}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
