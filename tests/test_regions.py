"""Regions as a tree: levels cut from the names, filters that take in what lies within,
facet and home-page counts that add up, the comparison page filtering the same way.

A made-up corpus of four agencies: one at city level (澄江市), one in a district of it,
one in a town of that district, and one in another province's city.
"""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from corpus.report import Check, Report, Section
from index.store import IndexHandle
from search.whoosh import engine
from search.comparison import ComparisonRequest
from search.whoosh.figures import compare
from search.regions import expand, levels, qualified, tree, within
from search.request import SearchRequest
from tests.searchdata import build_index
from tests.web_support import make_app
from web.present.regions import region_links

pytestmark = pytest.mark.engine

AGENCIES = {
    "澄江市财政局": "澄江市",
    "澄江市临川区教育局": "澄江市临川区",
    "澄江市临川区桃源镇人民政府": "澄江市临川区桃源镇",
    "云岭省白沙市水利局": "云岭省白沙市",
}


def _report(agency: str, region: str) -> Report:
    return Report(source=f"{agency}.txt", agency=agency, region=region, year=2023, published=None,
                  template=2021,
                  sections=[Section("overview", "一、总体情况", f"{agency}全年主动公开政务信息。"),
                            Section("problems", "五、存在的主要问题及改进情况", "公开内容有待丰富。")],
                  figures={"requests.new.total": float(len(agency))}, checks=[Check("balance.total", True, "")])


def engine_handle(root):
    return IndexHandle(root)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("regions")
    build_index(root, [_report(a, r) for a, r in AGENCIES.items()])
    return root


@pytest.mark.parametrize("region, expected", [
    ("广西壮族自治区南宁市青秀区", ("广西壮族自治区", "广西壮族自治区南宁市", "广西壮族自治区南宁市青秀区")),
    ("贵州省黔东南苗族侗族自治州凯里市", ("贵州省", "贵州省黔东南苗族侗族自治州", "贵州省黔东南苗族侗族自治州凯里市")),
    ("荆州市沙市区", ("荆州市", "荆州市沙市区")),
    ("锡林郭勒盟正蓝旗", ("锡林郭勒盟", "锡林郭勒盟正蓝旗")),
    ("温州市鹿城区五马街道", ("温州市", "温州市鹿城区", "温州市鹿城区五马街道")),
    ("平潭综合实验区", ("平潭综合实验区",)),
    ("", ()),
])
def test_levels_cut_a_region_at_each_administrative_suffix(region, expected):
    assert levels(region) == expected


def test_tree_counts_add_up_and_expand_takes_in_what_lies_within():
    nodes = tree({"澄江市": 5, "澄江市临川区": 2, "澄江市临川区桃源镇": 1, "云岭省白沙市": 4})
    shape = [(n.label, n.count, [(c.label, c.count, [(g.label, g.count) for g in c.children])
                                 for c in n.children]) for n in nodes]
    assert shape == [("澄江市", 8, [("临川区", 3, [("桃源镇", 1)])]),
                     ("云岭省", 4, [("白沙市", 4, [])])]
    assert expand(["澄江市临川区"], AGENCIES.values()) == {"澄江市临川区", "澄江市临川区桃源镇"}
    assert within("澄江市临川区桃源镇", "澄江市") and not within("澄江市", "澄江市临川区")


def test_choosing_a_city_finds_its_districts_and_towns(root):
    handle = engine_handle(root)
    found = engine.search(handle, SearchRequest(query="主动公开", regions=("澄江市",)))
    assert sorted(h.agency for h in found.hits) == ["澄江市临川区教育局", "澄江市临川区桃源镇人民政府", "澄江市财政局"]
    town = engine.search(handle, SearchRequest(query="主动公开", regions=("澄江市临川区桃源镇",)))
    assert [h.agency for h in town.hits] == ["澄江市临川区桃源镇人民政府"]
    province = engine.search(handle, SearchRequest(query="", regions=("云岭省",)))
    assert {h.agency for h in province.hits} == {"云岭省白沙市水利局"}


def test_the_comparison_takes_in_the_regions_within(root):
    request = ComparisonRequest.from_params({"figure": "requests.new.total", "region": "澄江市临川区"})
    rows = compare(engine_handle(root), request).rows
    assert sorted(r.agency for r in rows) == ["澄江市临川区教育局", "澄江市临川区桃源镇人民政府"]


def _tree_of(ul) -> list:
    out = []
    for li in ul.find_all("li", recursive=False):
        link = li.find("a")
        inner = li.find("ul", class_="region-tree")
        out.append((link.span.get_text(), int(link.select_one(".count").get_text()),
                    _tree_of(inner) if inner else []))
    return out


def test_facet_and_home_nest_the_regions_and_the_figures_select_indents_them(root):
    client = make_app(root).test_client()
    page = BeautifulSoup(client.get("/search?q=主动公开").get_data(as_text=True), "html.parser")
    facet = page.select_one("#facet-region ul.region-tree")
    assert _tree_of(facet) == [("澄江市", 3, [("临川区", 2, [("桃源镇", 1, [])])]),
                               ("云岭省", 1, [("白沙市", 1, [])])]
    # Choosing the district keeps it unfolded and selected; its town still shows.
    chosen = BeautifulSoup(client.get("/search?q=主动公开&region=澄江市临川区").get_data(as_text=True), "html.parser")
    assert chosen.select_one("#facet-region li.selected > details[open] > summary a span").get_text() == "临川区"
    assert len(chosen.select("ol.hits > li")) == 2
    home = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert _tree_of(home.select_one(".home-regions > ul.region-tree"))[0] == (
        "澄江市", 3, [("临川区", 2, [("桃源镇", 1, [])])])
    figures = BeautifulSoup(client.get("/figures?region=澄江市临川区").get_data(as_text=True), "html.parser")
    options = [(o["value"], o.get_text()) for o in figures.select("select[name=region] option") if o["value"]]
    assert ("澄江市临川区", "\u3000临川区") in options and ("澄江市临川区桃源镇", "\u3000\u3000桃源镇") in options
    assert len(figures.select("#figures-table tbody tr")) == 2


def test_a_city_named_alone_goes_under_the_province_another_name_gives_it():
    regions = ["云岭省白沙市", "白沙市", "白沙市东城区", "澄江市"]
    assert qualified(regions) == {"云岭省白沙市": "云岭省白沙市", "白沙市": "云岭省白沙市",
                                  "白沙市东城区": "云岭省白沙市东城区", "澄江市": "澄江市"}
    nodes = tree({"云岭省白沙市": 1, "白沙市": 2, "白沙市东城区": 3, "澄江市": 1})
    assert [(n.value, n.count) for n in nodes] == [("云岭省", 6), ("澄江市", 1)]
    assert [(c.value, c.count) for c in nodes[0].children] == [("云岭省白沙市", 6)]
    assert expand(["云岭省"], regions) == {"云岭省", "云岭省白沙市", "白沙市", "白沙市东城区"}
    # Two provinces with a 白沙市: which one a bare 白沙市 is cannot be told, so it stays on top.
    assert qualified(["云岭省白沙市", "江川省白沙市", "白沙市"])["白沙市"] == "白沙市"


def test_the_tree_lists_the_busiest_top_regions_and_every_chosen_one():
    counts = {"澄江市": 5, "云岭省白沙市": 3, "河阳市": 1}
    shown, more = region_links(counts, lambda r: f"/search?region={r}", limit=1)
    assert [r.label for r in shown] == ["澄江市"] and more == 2
    shown, more = region_links(counts, lambda r: r, selected=["河阳市"], limit=1)
    assert [(r.label, r.selected) for r in shown] == [("澄江市", False), ("河阳市", True)] and more == 1
