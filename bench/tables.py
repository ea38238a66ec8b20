"""The benchmark's figures as Markdown tables, and the header of a RESULTS.md section."""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from bench.measure import PROJECT_ROOT, Latency


LONG_TAIL_TARGETS = (
    "at 10k: library p95 ≤ 0.3× the baseline's; at 100k: p95 ≤ 300 ms (library), "
    "≤ 400 ms (HTTP, 1 client); no query over 2 s")

TARGETS = {
    "http_p95_ratio": 1.0,         # search page p95 / baseline p95 at 10k reports
    "http_p95_ms": 300.0,          # at 100k reports
    "build_mb_s": 1.0,
    "worker_rss_mb": 200.0,        # at 10k reports
    "first_answer_s": 2.0,
}


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b and b == b and a == a else "–"


def _ms(latency: Latency) -> tuple[str, str, str]:
    return tuple(f"{latency.pct(p):.1f}" for p in (50, 95, 99))


def table(results: dict) -> str:
    """The results as Markdown tables (they read fine in a terminal too)."""
    gen, parse, build, bbuild = results["generate"], results["parse"], results["build"], results["baseline_build"]
    lib, base, http = results["library"], results["baseline"], results["http"]
    mb = 1e6
    text_mb = parse["text_bytes"] / mb
    baseline_build_s = bbuild["seconds"] + parse["seconds"]
    lines = [
        f"Corpus: {parse['reports']} reports ({parse['refused']} refused), {gen['file_bytes'] / mb:.1f} MB of files, "
        f"{text_mb:.1f} MB of section text; {len(results['mix'])} queries in the mix.",
        "",
        "| measure | ours | FTS5 baseline | ours / baseline | target |",
        "|---|---:|---:|---:|---|",
        f"| parse, reports/s (1 process) | {parse['reports'] / parse['seconds']:.0f} | (same parser) | | |",
        f"| parse, MB/s of files | {parse['file_bytes'] / mb / parse['seconds']:.2f} | | | |",
        f"| build, s (ours: parse on all cores + index; baseline: parse 1 core + load) | {build['seconds']:.1f} | "
        f"{baseline_build_s:.1f} | {_ratio(build['seconds'], baseline_build_s)} | |",
        f"| build: of which the audit (年报体检), s (share of the build) | {build.get('audit_seconds', 0):.1f} "
        f"({100 * build.get('audit_seconds', 0) / build['seconds']:.1f} %) | | | < 100 % (at most doubles it) |",
        f"| build: of which each report against its predecessor (与上年相比), s (share of the build) | "
        f"{build.get('changes_seconds', 0):.1f} ({100 * build.get('changes_seconds', 0) / build['seconds']:.1f} %) "
        "| | | |",
        f"| build, MB/s of section text | {text_mb / build['seconds']:.2f} | {text_mb / baseline_build_s:.2f} | "
        f"{_ratio(text_mb / build['seconds'], text_mb / baseline_build_s)} | ≥ {TARGETS['build_mb_s']} |",
        f"| index size on disk, MB | {build['index_bytes'] / mb:.1f} | {bbuild['index_bytes'] / mb:.1f} | "
        f"{_ratio(build['index_bytes'], bbuild['index_bytes'])} | |",
        f"| build peak RSS, largest process, MB | {build['maxrss_mb']:.0f} | {bbuild['maxrss_mb']:.0f} | "
        f"{_ratio(build['maxrss_mb'], bbuild['maxrss_mb'])} | |",
        f"| build peak RSS, process tree (sampled), MB | {build['peak_tree_mb']:.0f} | {bbuild['peak_tree_mb']:.0f} | "
        f"{_ratio(build['peak_tree_mb'], bbuild['peak_tree_mb'])} | |",
    ]
    engines = [("library", lib)]
    if "error" not in http:
        engines += [("HTTP /search, 1 client", http["serial"]),
                    (f"HTTP /search, {results['options']['clients']} clients", http["concurrent"])]
    for name, latency in engines:
        ours = _ms(latency)
        theirs = _ms(base)
        for k, p in enumerate(("p50", "p95", "p99")):
            target = ""
            if name.startswith("HTTP") and p == "p95":
                target = f"ratio ≤ {TARGETS['http_p95_ratio']} (10k); ≤ {TARGETS['http_p95_ms']:.0f} ms (100k)"
            lines.append(f"| search {p}, ms — {name} | {ours[k]} | {theirs[k]} | "
                         f"{_ratio(latency.pct(int(p[1:])), base.pct(int(p[1:])))} | {target} |")
        lines.append(f"| search throughput, req/s — {name} ({len(latency.samples)} requests"
                     f"{', %d errors' % latency.errors if latency.errors else ''}) | {latency.rate:.1f} | "
                     f"{base.rate:.1f} | {_ratio(latency.rate, base.rate)} | |")
    # Each query's first answer: nothing of it cached yet (matching sections, scores).
    first, base_first = results["library_detail"]["first"], results["baseline_detail"]["first"]
    for p in ("p50", "p95"):
        k = int(p[1:])
        lines.append(f"| search {p}, ms — library, first pass over the mix (cold per-term caches) | "
                     f"{first.pct(k):.1f} | {base_first.pct(k):.1f} | "
                     f"{_ratio(first.pct(k), base_first.pct(k))} | |")
    rss = http.get("worker_rss_mb", [])
    if "error" in http:
        lines.append(f"| HTTP through gunicorn | failed: {http['error']} | | | |")
    else:
        lines += [
            f"| gunicorn worker RSS after warm-up, MB (max of {len(rss)}) | {max(rss, default=0):.0f} | | | "
            f"≤ {TARGETS['worker_rss_mb']:.0f} (10k) |",
            f"| gunicorn worker RSS after the run, MB (max) | {max(http['worker_rss_after_mb'], default=0):.0f} "
            "| | | |",
            f"| gunicorn start to first answered /search, s | {http['first_answer_s']:.2f} | | | "
            f"≤ {TARGETS['first_answer_s']} |",
        ]
    if results.get("long_tail"):
        lines += ["", *long_tail_table(results["long_tail"], base_mix=lib)]
    lines += [
        "",
        "Per query (warm, in-process): matching sections and median latency.",
        "",
        "| query | text | filters | ours: hits | baseline: hits | ours p50 ms | baseline p50 ms | ratio |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    ld, bd = results["library_detail"], results["baseline_detail"]
    for query in results["mix"]:
        filters = "; ".join(f"{k}={','.join(map(str, v))}" for k, v in query.baseline_args().items() if v)
        ours = statistics.median(ld["per_query"][query.label]) * 1000 if ld["per_query"][query.label] else float("nan")
        theirs = statistics.median(bd["per_query"][query.label]) * 1000 if bd["per_query"][query.label] else float("nan")
        lines.append(f"| {query.label} | {query.q} | {filters} | {ld['totals'][query.label]} | "
                     f"{bd['totals'][query.label]} | {ours:.1f} | {theirs:.1f} | {_ratio(ours, theirs)} |")
    if results.get("opensearch"):
        from bench import side_by_side
        lines += ["", *side_by_side.table(results)]
    return "\n".join(lines)


def long_tail_table(tail: dict, base_mix: Latency | None = None) -> list[str]:
    """The long tail: each query once, nothing cached; the repeated mix's library row beside it."""
    drawn = tail["queries"]
    library, baseline, http = tail["library"], tail["baseline"], tail.get("http")
    filtered = sum(1 for q in drawn if q.years or q.agencies)
    lines = [
        f"Long tail (bench/longtail.py): {len(drawn)} distinct queries drawn from the corpus (seed "
        f"fixed; {filtered} with a year or agency filter), each asked once — nothing of any query cached. "
        f"Targets: {LONG_TAIL_TARGETS}.",
        "",
        "| measure | p50, ms | p95, ms | p99, ms | max, ms | p95 / baseline p95 | queries over 2 s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [("library, long tail (each once)", library.latency),
            ("HTTP /search, 1 client, long tail (each once)", http),
            ("FTS5 baseline, long tail (each once)", baseline.latency),
            ("library, repeated mix (warm; the table above)", base_mix)]
    for name, latency in rows:
        if latency is None or not latency.samples:   # not run (no HTTP, --no-baseline)
            continue
        over = sum(1 for s in latency.samples if s > 2.0)
        errors = f" ({latency.errors} errors)" if latency.errors else ""
        lines.append(f"| {name}{errors} | {latency.pct(50):.1f} | {latency.pct(95):.1f} | {latency.pct(99):.1f} | "
                     f"{latency.worst:.1f} | {_ratio(latency.pct(95), baseline.latency.pct(95))} | {over} |")
    lines += ["", "Long tail by kind (library / baseline, p95 ms, count):", ""]
    base_kinds = baseline.by_kind()
    lines.append("| kind | queries | library p95 | baseline p95 | ratio |")
    lines.append("|---|---:|---:|---:|---:|")
    for kind, latency in sorted(library.by_kind().items()):
        theirs = base_kinds.get(kind, Latency())
        lines.append(f"| {kind} | {len(latency.samples)} | {latency.pct(95):.1f} | {theirs.pct(95):.1f} | "
                     f"{_ratio(latency.pct(95), theirs.pct(95))} |")
    lines += ["", "The ten slowest long-tail queries (library):", "",
              "| query | filters | hits | ms |", "|---|---|---:|---:|"]
    for query, seconds, total in library.slowest(10):
        filters = "; ".join(f"{k}={','.join(map(str, v))}" for k, v in query.baseline_args().items() if v)
        lines.append(f"| {query.q} | {filters} | {total} | {seconds * 1000:.1f} |")
    return lines


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
        memory = f"{mem_kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}; "
            f"load average before the run {load}")


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def markdown_section(results: dict, options, machine_line: str) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        f"## {options.reports} reports — {when}",
        "",
        f"- machine: {machine_line}",
        f"- commit: {commit()}",
        *([f"- corpus, index and baseline reused from an earlier run at commit {results['commit']} "
           "(its generate, parse and build figures)"] if options.reuse else []),
        f"- command: `{options.command}`",
        "",
        table(results),
        "",
    ])
