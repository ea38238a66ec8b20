"""Files that are not readable reports are refused with one sentence; nothing raises."""
from __future__ import annotations

import zlib

from hypothesis import HealthCheck, given, settings, strategies as st

from corpus.parse import parse_bytes
from corpus.report import Refusal, Report
from madeup import layouts


def refusal(data: bytes, suffix: str = ".txt") -> str:
    result = parse_bytes(data, "x" + suffix, suffix)
    assert isinstance(result, Refusal), result
    assert result.error.endswith(".") and "\n" not in result.error
    return result.error


def test_empty_and_blank_files():
    assert refusal(b"") == "The file is empty."
    assert refusal(b" \n\t\n") == "The file is empty."


def test_binary_file():
    assert "binary" in refusal(zlib.compress(bytes(range(256)) * 50))


def test_undecodable_bytes():
    error = refusal(bytes([0x80, 0xff, 0xfe, 0x81] * 500) + b"\x00")
    assert "binary" in error or "encoding" in error


def test_news_item_is_not_a_report():
    news = "某某市召开政府信息公开工作推进会\n会议要求，各单位要进一步做好政府信息公开工作。\n".encode()
    assert "not a government-information-disclosure annual report" in refusal(news)


def test_explainer_page_is_refused():
    made = layouts.made_up(1)
    page = layouts.markdown(made).replace("年政府信息公开工作年度报告", "年政府信息公开工作年度报告图解", 1)
    assert "explainer" in refusal(page.encode())


def test_unknown_container_is_refused():
    assert "No reader" in refusal(b"GIF89a....", ".gif")


def test_a_report_without_agency_is_refused():
    body = layouts.markdown(layouts.made_up(2)).split("\n", 3)[3]  # title lines gone
    body = "2023年政府信息公开工作年度报告\n" + body.replace(layouts.made_up(2).agency, "")
    assert "agency" in refusal(body.encode())


def test_deeply_nested_html_is_read_or_refused_quickly():
    page = "<html><body>" + "<div>" * 20000 + "一、总体情况" + "</div>" * 20000 + "</body></html>"
    result = parse_bytes(page.encode(), "deep.html", ".html")
    assert isinstance(result, Refusal)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".md", ""]))
def test_random_bytes_never_raise(data, suffix):
    result = parse_bytes(data, "random" + suffix, suffix)
    assert isinstance(result, (Report, Refusal))
    if isinstance(result, Refusal):
        assert result.error


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_reports_give_a_report_or_a_sentence(data):
    text = layouts.pdf_text(layouts.made_up(data.draw(st.integers(0, 5))))
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 8))):
        action = data.draw(st.sampled_from(["drop", "dup", "cut", "junk", "swap"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: len(lines[i]) // 2]
        elif action == "junk":
            lines[i] = data.draw(st.text(max_size=40))
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            lines = [""]
    result = parse_bytes("\n".join(lines).encode("utf-8", "surrogatepass"), "damaged.txt", ".txt")
    assert isinstance(result, (Report, Refusal))
    if isinstance(result, Refusal):
        assert result.error.endswith(".")
