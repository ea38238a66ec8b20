"""A report's prose against its predecessor's (index.changes): sentences, their alignment,
the similarity and its class, and the record the index keeps — on made-up pairs
(tests/changesdata.py), the expected numbers counted here character by character."""
from __future__ import annotations

import pytest

from index.changes.classes import text_class
from index.changes.compare import compare_reports, record
from index.changes.run import change_records, predecessors
from index.changes.text import compare_texts, sentences
from tests.changesdata import (
    ADDED, EXTRA, FIRST, GAP, NEW_OVERVIEW, ONE_NUMBER, REQUESTS_NEW, REQUESTS_OLD, REWRITTEN, SENTENCES,
    UNCHANGED, change_reports, report,
)


def size(text: str) -> int:
    """Characters without whitespace (the sentences here need no other folding)."""
    return len("".join(text.split()))


def bigrams(text: str) -> set[str]:
    """Pairs of neighbouring characters (the sentences compared here hold no numbers)."""
    squeezed = "".join(text.split())
    return {squeezed[i:i + 2] for i in range(len(squeezed) - 1)}


def test_sentences_end_at_their_punctuation_and_table_rows_are_not_prose():
    text = "他说：“公开是常态。”随后散会。\n（一）主动公开情况\n规章 0 3 5\n费用 1.5 万元；完毕！"
    assert sentences(text) == ["他说：“公开是常态。”", "随后散会。", "（一）主动公开情况", "费用 1.5 万元；", "完毕！"]
    assert sentences("") == [] and sentences("   \n ") == []


def test_the_same_prose_with_other_line_breaks_is_identical():
    text = SENTENCES[0] + SENTENCES[1]
    found = compare_texts(text, SENTENCES[0] + "\n" + SENTENCES[1].replace("，", "， "))
    assert [item.kind for item in found.sentences] == ["same", "same"]
    assert (found.similarity, found.status) == (1.0, "identical")


def test_a_changed_number_keeps_its_sentence():
    found = compare_texts(SENTENCES[2] + REQUESTS_OLD, SENTENCES[2] + REQUESTS_NEW)
    assert [(item.kind, item.old, item.new) for item in found.sentences] == [
        ("same", SENTENCES[2], SENTENCES[2]), ("numbers", REQUESTS_OLD, REQUESTS_NEW)]
    # Only a number changed: every character counts as kept, but the text is not identical.
    assert (found.similarity, found.status) == (1.0, "similar")


def test_an_added_sentence_is_new_text_and_lowers_the_similarity_by_its_length():
    kept = SENTENCES[3] + SENTENCES[4]
    found = compare_texts(kept, kept + EXTRA)
    assert [(item.kind, item.new) for item in found.sentences] == [
        ("same", SENTENCES[3]), ("same", SENTENCES[4]), ("added", EXTRA)]
    expected = 2 * size(kept) / (2 * size(kept) + size(EXTRA))
    assert found.similarity == round(expected, 4)
    assert 0.5 <= expected < 0.9 and found.status == "revised"


def test_a_rewritten_paragraph_shares_no_sentence():
    found = compare_texts(SENTENCES[0] + SENTENCES[1], NEW_OVERVIEW)
    assert [item.kind for item in found.sentences] == ["removed", "removed", "added", "added"]
    assert (found.similarity, found.status) == (0.0, "rewritten")


def test_an_edited_sentence_is_paired_by_the_likeness_of_its_bigrams():
    old = "存在的问题是公开形式单一。"
    new = "存在的问题是公开形式较为单一。"
    found = compare_texts(SENTENCES[0] + old, SENTENCES[0] + new)
    a, b = bigrams(old), bigrams(new)
    dice = 2 * len(a & b) / (len(a) + len(b))
    assert [(item.kind, item.old, item.new) for item in found.sentences] == [
        ("same", SENTENCES[0], SENTENCES[0]), ("edited", old, new)]
    assert found.sentences[1].likeness == round(dice, 4)
    both = size(SENTENCES[0]) * 2 + size(old) + size(new)
    assert found.similarity == round((size(SENTENCES[0]) * 2 + dice * (size(old) + size(new))) / both, 4)


@pytest.mark.parametrize("similarity, identical, expected", [
    (1.0, True, "identical"), (1.0, False, "similar"), (0.9, False, "similar"), (0.8999, False, "revised"),
    (0.5, False, "revised"), (0.4999, False, "rewritten"), (0.0, False, "rewritten"),
])
def test_the_classes_begin_where_the_rules_say(similarity, identical, expected):
    assert text_class(similarity, identical) == expected


def test_a_report_weighs_every_sentence_of_every_section():
    reports = {(r.agency, r.year): r for r in change_reports()}
    change = compare_reports(reports[(ADDED, 2022)], reports[(ADDED, 2023)])
    assert [(s.key, s.status) for s in change.sections] == [
        ("overview", "identical"), ("requests", "identical"), ("problems", "revised")]
    unchanged = sum(size(s) for s in SENTENCES) + size(REQUESTS_OLD)
    assert change.similarity == round(2 * unchanged / (2 * unchanged + size(EXTRA)), 4)
    assert change.status == "similar"        # one sentence in a whole report


def test_a_section_new_or_gone_counts_as_wholly_changed():
    earlier = report("某局", 2022, {"overview": SENTENCES[0], "other": SENTENCES[1]})
    later = report("某局", 2023, {"overview": SENTENCES[0], "problems": SENTENCES[3]})
    change = compare_reports(earlier, later)
    assert [(s.key, s.status) for s in change.sections] == [
        ("overview", "identical"), ("problems", "new"), ("other", "gone")]
    total = 2 * size(SENTENCES[0]) + size(SENTENCES[1]) + size(SENTENCES[3])
    assert change.similarity == round(2 * size(SENTENCES[0]) / total, 4)


def test_the_predecessor_is_the_latest_earlier_year():
    assert predecessors([2023, 2020, 2021, 2021]) == {2020: None, 2021: 2020, 2023: 2021}
    assert predecessors([]) == {}


def test_every_report_gets_a_record_of_its_predecessor():
    records = change_records(change_reports())
    assert records[f"{UNCHANGED}-2023"] == {
        "previous": f"{UNCHANGED}-2022", "previous_year": 2022, "similarity": 1.0, "text": "identical",
        "sections": {"overview": "identical", "requests": "identical", "problems": "identical"}}
    assert records[f"{ONE_NUMBER}-2023"]["sections"]["requests"] == "similar"
    assert records[f"{ONE_NUMBER}-2023"]["text"] == "similar"
    assert records[f"{REWRITTEN}-2023"]["sections"] == {
        "overview": "rewritten", "requests": "identical", "problems": "identical"}
    assert (records[f"{GAP}-2023"]["previous"], records[f"{GAP}-2023"]["previous_year"]) == (f"{GAP}-2020", 2020)
    for first in (f"{UNCHANGED}-2022", f"{GAP}-2020", f"{FIRST}-2023"):
        assert records[first] == {"previous": None}
    assert record(None, change_reports()[0]) == {"previous": None}
