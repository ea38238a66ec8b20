"""Control characters and noncharacters (\x01, \x1b, U+FFFE … as PDF text brings them)
never reach a reader: stripped from every text of a report when it is parsed
(corpus.clean.printable, applied in corpus/parse.py), and from the Atom feed and every
JSON body the site writes, should an index hold them (one built before)."""
from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ElementTree
from urllib.parse import quote

import pytest

from corpus.clean import is_printable, printable
from corpus.parse import parse_bytes
from corpus.report import Report
from madeup import layouts
from tests.web_support import made_up_reports, make_app, site_index

JUNK = "\x00\x01\x08\x0e\x1b\x1f\x7f\x85\x9f\ud800\udfff\ufdd0\ufffe\uffff\U0001fffe\U0010ffff"


def test_printable_drops_what_no_text_holds_and_keeps_the_rest():
    kept = "依申请公开\t12 件\n结转\r下年 ①ＡＢ😀\u3000\u2028"
    assert printable(kept) == kept and is_printable(kept)
    assert printable(f"行政{JUNK}复议") == "行政复议"
    assert printable("第一页\x0c第二页\x0b完") == "第一页\n第二页\n完"
    assert not is_printable("\x1b[31m") and printable("\x1b[31m红") == "[31m红"


def _texts(report: Report) -> list[str]:
    return [report.agency, report.region, report.published or "",
            *(text for s in report.sections for text in (s.title, s.text, *(c for t in s.tables for r in t for c in r))),
            *(c.detail for c in report.checks)]


def test_a_report_whose_text_is_full_of_control_characters_is_parsed_clean():
    made = layouts.made_up(7)
    text = layouts.markdown(made)
    junk = "\x01\x1b\ufffe\x7f"
    hostile = (text.replace("依申请", f"依{junk}申请").replace("公开", f"公{junk}开")
               .replace("| 一、本年新收政府信息公开申请数量", f"| 一、本年新收\x01政府信息公开申请数量\ufffe"))
    assert hostile != text and hostile.count("\ufffe") > 3
    report = parse_bytes(hostile.encode("utf-8"), "hostile.md", ".md")
    assert isinstance(report, Report), report
    assert all(is_printable(t) for t in _texts(report)), [t for t in _texts(report) if not is_printable(t)]
    assert any("公开" in t for t in _texts(report))        # the words around the junk are whole again
    assert report.agency == parse_bytes(text.encode("utf-8"), "clean.md", ".md").agency


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """An index holding reports with control characters in titles, text and cells, as an
    index built before the parser cleaned them would."""
    reports = made_up_reports()
    junk = "\x01\x1b\ufffe"
    reports[0] = dataclasses.replace(reports[0], sections=[
        dataclasses.replace(s, title=s.title + junk, text=s.text.replace("依申请", f"依申请{junk}"),
                            tables=[[["申请\x01数量", "12\ufffe"]]])
        for s in reports[0].sections])
    return make_app(site_index(tmp_path_factory.mktemp("hostile") / "index", reports)).test_client()


def test_the_atom_feed_stays_well_formed_xml(hostile_site):
    response = hostile_site.get("/search.atom?q=依申请")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.data)           # expat refuses a control character
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert entries and any("依申请" in (e.findtext("{http://www.w3.org/2005/Atom}summary") or "") for e in entries)


@pytest.mark.parametrize("url", ["/api/search?q=依申请", "/api/reports/" + quote("青柳市交通运输局-2022"),
                                 "/figures?format=json"])
def test_json_bodies_hold_no_control_character(hostile_site, url):
    response = hostile_site.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    data = json.loads(body)
    strings = []

    def walk(value):
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k), walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(data)
    assert strings and all(is_printable(s) for s in strings), [s for s in strings if not is_printable(s)]
    assert is_printable(body) and "\\u001b" not in body and "\\u0001" not in body
