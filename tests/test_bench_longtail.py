"""The long-tail mix (bench.longtail) drawn from a small generated corpus.

It must be what RESULTS.md says it is: distinct queries, each one a piece of what a
report really says (so it has at least one hit), a quarter or so under a filter, and
the same queries for the same corpus and seed.
"""
import json
from types import SimpleNamespace

import pytest

from bench import longtail
from corpus.parse import parse_bytes
from madeup import scale


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory):
    path = tmp_path_factory.mktemp("longtail") / "reports.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for made in scale.generate(40, 3):
            report = parse_bytes(made.data, made.name, "." + made.name.rsplit(".", 1)[1])
            out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    return path


def _reports(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_draws_distinct_queries_found_in_the_reports_they_name(jsonl):
    drawn = longtail.draw(jsonl, 120, seed=5)
    assert len(drawn) == 120 and len(set(drawn)) == 120
    reports = _reports(jsonl)
    for query in drawn:
        words = query.q.split(" ")
        assert all(w.isalnum() and 1 <= len(w) <= 8 for w in words), query
        candidates = [r for r in reports
                      if (not query.years or r["year"] in query.years)
                      and (not query.agencies or r["agency"] in query.agencies)]
        assert any(all(w in s["text"] for w in words) for r in candidates for s in r["sections"]), query


def test_mixes_lengths_pairs_and_filters(jsonl):
    drawn = longtail.draw(jsonl, 200, seed=5)
    lengths = {len(q.q) for q in drawn if " " not in q.q}
    assert lengths == set(range(1, 9))
    pairs = [q for q in drawn if " " in q.q]
    filtered = [q for q in drawn if q.years or q.agencies]
    assert 0.15 < len(pairs) / len(drawn) < 0.35
    assert 0.15 < len(filtered) / len(drawn) < 0.35
    assert any(q.years for q in filtered) and any(q.agencies for q in filtered)


def test_same_seed_same_queries_other_seed_others(jsonl):
    assert longtail.draw(jsonl, 50, seed=9) == longtail.draw(jsonl, 50, seed=9)
    assert longtail.draw(jsonl, 50, seed=9) != longtail.draw(jsonl, 50, seed=10)


def test_asks_each_query_once_after_a_warm_up_and_times_each(jsonl, monkeypatch):
    drawn = longtail.draw(jsonl, 30, seed=5)
    clock = [100.0]      # a clock each answer moves on by 1 ms per character of its query
    monkeypatch.setattr(longtail, "time", SimpleNamespace(perf_counter=lambda: clock[0]))
    asked = []

    def answer(query):
        asked.append(query)
        clock[0] += len(query.q) / 1000
        return len(query.q)

    result = longtail.ask_each_once(drawn, answer)
    assert asked == [longtail.WARM_UP, *drawn]
    assert [total for _, _, total in result.per_query] == [len(q.q) for q in drawn]
    expected = [len(q.q) / 1000 for q in drawn]
    assert result.latency.samples == pytest.approx(expected)
    assert [seconds for _, seconds, _ in result.per_query] == pytest.approx(expected)
    assert result.latency.wall == pytest.approx(sum(expected))     # the warm-up not counted
