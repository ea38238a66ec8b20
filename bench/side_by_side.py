"""The engines side by side: whoosh, OpenSearch and the FTS5 baseline in one Markdown table.

Added under the whoosh tables (bench.tables) when the run measured OpenSearch too
(``python -m bench --engine opensearch``); every figure is from the same run, corpus
and queries. What each row measures: bench/run.py and bench/opensearch.py.
"""
from __future__ import annotations

from bench.measure import Latency

MB = 1e6
NAN = float("nan")


def _f(value, digits: int = 1) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:.{digits}f}"


def _ratio(a, b) -> str:
    return f"{a / b:.2f}" if a is not None and b and a == a and b == b else "–"


def _pct(latency: Latency | None, p: float) -> float:
    if latency is None or not latency.samples:
        return NAN
    return latency.worst if p == 100 else latency.pct(p)


def _max_rss(http: dict, key: str = "worker_rss_mb") -> float:
    values = http.get(key) or []
    return max(values) if values else NAN


def table(results: dict) -> list[str]:
    os_ = results["opensearch"]
    parse, build, bbuild = results["parse"], results["build"], results["baseline_build"]
    obuild = os_["build"]
    text_mb = parse["text_bytes"] / MB
    fts_build_s = bbuild["seconds"] + parse["seconds"]
    lines = [
        f"OpenSearch beside whoosh and the FTS5 baseline (bench/opensearch.py): the same corpus and "
        f"queries, OpenSearch measured after the others; its index `{obuild['index']}` behind "
        f"`{os_['alias']}`, {obuild['docs']} documents.",
        "",
        "| measure | whoosh | OpenSearch | FTS5 baseline | OpenSearch / whoosh |",
        "|---|---:|---:|---:|---:|",
    ]

    def row(name: str, ours, theirs, base=None, digits: int = 1) -> None:
        lines.append(f"| {name} | {_f(ours, digits)} | {_f(theirs, digits)} | {_f(base, digits)} | "
                     f"{_ratio(theirs, ours)} |")

    row("build, s (whoosh and OpenSearch: parse on all cores + index; FTS5: parse 1 core + load)",
        build["seconds"], obuild["seconds"], fts_build_s)
    row("build, MB/s of section text", text_mb / build["seconds"], text_mb / obuild["seconds"],
        text_mb / fts_build_s, 2)
    parts = os_.get("whoosh_parts") or {}
    searched = parts["index"] + parts["bigrams"] if parts else build["index_bytes"]
    row("index size, MB (whoosh: segments + bigram arrays; OpenSearch: store, primaries, originals "
        "included; FTS5: database)", searched / MB, obuild["primary_bytes"] / MB, bbuild["index_bytes"] / MB)
    row("index with the originals kept, MB (whoosh: generation; OpenSearch: store, every copy)",
        build["generation_bytes"] / MB, obuild["store_bytes"] / MB)
    row("build peak RSS, build process tree (sampled), MB", build["peak_tree_mb"], obuild["peak_tree_mb"],
        bbuild["peak_tree_mb"], 0)
    row("build peak RSS of the JVM (sampled), MB", None, obuild.get("jvm_peak_rss_mb"), None, 0)
    tail, otail = results.get("long_tail") or {}, os_.get("long_tail") or {}
    if tail and otail:
        for label, ours, theirs, base in (
                ("library (each engine through this process)", tail["library"].latency,
                 otail["library"].latency, tail["baseline"].latency),
                ("HTTP /search, 1 client", tail.get("http"), otail.get("http"), None)):
            for p, name in ((50, "p50"), (95, "p95"), (100, "max")):
                row(f"long tail {name}, ms — {label}", _pct(ours, p), _pct(theirs, p), _pct(base, p))
        errors = [t.errors for t in (otail["library"].latency, otail.get("http")) if t is not None]
        same = sum(1 for (_, _, a), (_, _, b) in zip(tail["library"].per_query, otail["library"].per_query)
                   if a == b)
        lines.append(f"| long tail: totals equal to whoosh's (library) | | {same} of {len(otail['library'].per_query)}"
                     f"{'; %d errors' % sum(errors) if sum(errors) else ''} | | |")
    http, ohttp = results.get("http", {}), os_.get("http", {})
    row("mix p50, ms — library (warm)", _pct(results["library"], 50), _pct(os_["library"], 50),
        _pct(results["baseline"], 50))
    row("mix p95, ms — library (warm)", _pct(results["library"], 95), _pct(os_["library"], 95),
        _pct(results["baseline"], 95))
    clients = results["options"]["clients"]
    for key, label in (("serial", "1 client"), ("concurrent", f"{clients} clients")):
        row(f"mix p95, ms — HTTP /search, {label}", _pct(http.get(key), 95), _pct(ohttp.get(key), 95))
        row(f"mix throughput, req/s — HTTP /search, {label}", http[key].rate if key in http else None,
            ohttp[key].rate if key in ohttp else None)
    row("gunicorn worker RSS after warm-up, MB (max)", _max_rss(http), _max_rss(ohttp), None, 0)
    row("gunicorn worker RSS after the run, MB (max)", _max_rss(http, "worker_rss_after_mb"),
        _max_rss(ohttp, "worker_rss_after_mb"), None, 0)
    row("gunicorn start to first answered /search, s", http.get("first_answer_s"), ohttp.get("first_answer_s"),
        None, 2)
    if "node_start_s" in os_:
        row("OpenSearch node: launch to green, s", None, os_["node_start_s"])
    for moment, figures in os_["jvm"].items():
        lines.append(f"| JVM heap used / max, MB — {moment} | | {figures['heap_used_mb']:.0f} / "
                     f"{figures['heap_max_mb']:.0f} | | |")
        lines.append(f"| JVM RSS, MB — {moment} | | {_f(figures['rss_mb'], 0)} | | |")
    return lines
