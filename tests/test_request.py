"""SearchRequest: every parameter parsed once; junk is a BadRequest with a Chinese sentence."""
import pytest
from werkzeug.datastructures import MultiDict

from search.request import (
    DEFAULT_PAGE_SIZE, MAX_FILTER_VALUES, MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_CHARS,
    BadRequest, FigureFilter, SearchRequest, parse_figure_filter,
)


def test_defaults_from_no_parameters():
    assert SearchRequest.from_params({}) == SearchRequest()
    assert SearchRequest.from_params(None) == SearchRequest(
        query="", agencies=(), regions=(), years=(), sections=(), template=None, failing=None,
        figure_filters=(), sort="relevance", ascending=False, page=1, page_size=DEFAULT_PAGE_SIZE)


def test_every_parameter_from_a_multidict():
    params = MultiDict([
        ("q", "  行政复议  "), ("agency", "甲局"), ("agency", "乙局"), ("agency", "甲局"),
        ("region", "青山市"), ("year", "２０２３"), ("year", "2022"), ("section", "appeals"),
        ("template", "2021"), ("failing", "1"), ("fig", "requests.new.total >= 1"),
        ("fig", "appeals.review.total>0"), ("sort", "requests.new.total:asc"),
        ("page", "3"), ("size", "50"), ("unknown", "ignored"),
    ])
    assert SearchRequest.from_params(params) == SearchRequest(
        query="行政复议", agencies=("甲局", "乙局"), regions=("青山市",), years=(2023, 2022),
        sections=("appeals",), template=2021, failing=True,
        figure_filters=(FigureFilter("requests.new.total", ">=", 1.0),
                        FigureFilter("appeals.review.total", ">", 0.0)),
        sort="requests.new.total", ascending=True, page=3, page_size=50)


def test_plain_dict_values_and_blanks():
    # A form's "all" option sends an empty filter value; an empty search box an empty q.
    request = SearchRequest.from_params({"q": "", "agency": ["", "甲局"], "year": ""})
    assert (request.query, request.agencies, request.years, request.page) == ("", ("甲局",), (), 1)


@pytest.mark.parametrize("name", ["q", "page", "size", "sort", "template", "failing"])
def test_a_single_valued_parameter_given_twice_is_refused(name):
    from werkzeug.datastructures import MultiDict

    valid = {"q": "公开", "page": "2", "size": "5", "sort": "newest", "template": "2021", "failing": "1"}[name]
    for values in ([valid, valid], [valid, ""], ["", valid]):
        with pytest.raises(BadRequest) as caught:
            SearchRequest.from_params(MultiDict([(name, v) for v in values]))
        assert caught.value.message == f"参数“{name}”只能给一个值，这个请求给了 2 个。"
    assert SearchRequest.from_params(MultiDict([(name, valid)])) is not None


@pytest.mark.parametrize("name", ["page", "size", "sort", "template", "failing"])
def test_an_empty_single_value_other_than_q_is_refused(name):
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params({name: " "})
    assert caught.value.message == f"参数“{name}”不能为空：不需要时请去掉它。"


def test_round_trip_through_params():
    request = SearchRequest(query="a b", agencies=("甲局",), years=(2023,), sections=("other",),
                            template=2019, failing=False,
                            figure_filters=(parse_figure_filter("requests.new.total!=0"),),
                            sort="newest", page=2, page_size=10)
    assert SearchRequest.from_params(request.to_params()) == request


def test_names_are_not_normalised_but_numbers_are():
    # Full-width brackets are part of official names; full-width digits are just digits.
    request = SearchRequest.from_params({"agency": "某某管委会（筹）", "page": "２", "size": "１０"})
    assert (request.agencies, request.page, request.page_size) == (("某某管委会（筹）",), 2, 10)


def test_caps_instead_of_errors():
    request = SearchRequest.from_params({"q": "字" * 5000, "size": "100000"})
    assert len(request.query) == MAX_QUERY_CHARS
    assert request.page_size == MAX_PAGE_SIZE


def test_query_is_nfkc_and_control_characters_become_spaces():
    assert SearchRequest.from_params({"q": "ＰＤＦ\x00申请\u3000公开"}).query == "PDF 申请 公开"
    # An ellipsis stays one character, as it is in the indexed text.
    assert SearchRequest.from_params({"q": "等等…"}).query == "等等…"


@pytest.mark.parametrize("params, message", [
    ({"page": "abc"}, "页码必须是正整数。"),
    ({"page": "0"}, "页码必须是正整数。"),
    ({"page": "-1"}, "页码必须是正整数。"),
    ({"page": "1.5"}, "页码必须是正整数。"),
    ({"page": str(MAX_PAGE + 1)}, f"页码不能超过 {MAX_PAGE}。"),
    ({"size": "0"}, "每页条数必须是正整数。"),
    ({"size": "ten"}, "每页条数必须是正整数。"),
    ({"year": "二〇二三"}, "年度“二〇二三”不是有效的年份。"),
    ({"year": "1066"}, "年度“1066”不是有效的年份。"),
    ({"section": "heading"}, "没有名为“heading”的章节，可选：overview、proactive、requests、appeals、problems、other。"),
    ({"template": "2020"}, "模板只能是 2019 或 2021。"),
    ({"failing": "maybe"}, "“是否未通过校验”只能是 1 或 0。"),
    ({"sort": "score"}, "无法按“score”排序，可选：相关度 relevance、最新 newest、最早 oldest 或统计指标名。"),
    ({"sort": "requests.new.total:up"},
     "无法按“requests.new.total:up”排序，可选：相关度 relevance、最新 newest、最早 oldest 或统计指标名。"),
    ({"fig": "requests.new.total>>1"},
     "无法理解数字筛选条件“requests.new.total>>1”，应写成 指标>=数值，例如 requests.new.total>=1。"),
    ({"fig": "requests.nothing.total>1"}, "没有名为“requests.nothing.total”的统计指标。"),
    ({"fig": "__import__('os')>1"},
     "无法理解数字筛选条件“__import__('os')>1”，应写成 指标>=数值，例如 requests.new.total>=1。"),
    ({"agency": [f"局{i}" for i in range(MAX_FILTER_VALUES + 1)]}, f"机关筛选条件最多 {MAX_FILTER_VALUES} 个。"),
    ({"region": "区" * 201}, "地区名称过长。"),
])
def test_invalid_values_raise_bad_request_in_chinese(params, message):
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params(params)
    assert caught.value.message == message == str(caught.value)


@pytest.mark.parametrize("text, expected", [
    ("requests.new.total>=1", FigureFilter("requests.new.total", ">=", 1.0)),
    (" appeals.suit_direct.total > 0 ", FigureFilter("appeals.suit_direct.total", ">", 0.0)),
    ("proactive.fees.amount<=2.5", FigureFilter("proactive.fees.amount", "<=", 2.5)),
    ("proactive.licensing.change<-1", FigureFilter("proactive.licensing.change", "<", -1.0)),
    ("requests.total.total=3", FigureFilter("requests.total.total", "==", 3.0)),
    ("requests.total.total＝3", FigureFilter("requests.total.total", "==", 3.0)),
])
def test_figure_filters_parse(text, expected):
    assert parse_figure_filter(text) == expected


def test_figure_filter_test_and_text():
    at_least_one = FigureFilter("requests.new.total", ">=", 1.0)
    assert [at_least_one.test(v) for v in (0.0, 1.0, 7.0, None, float("nan"))] == [
        False, True, True, False, False]
    assert FigureFilter("requests.new.total", "!=", 0.0).test(None) is False
    assert str(at_least_one) == "requests.new.total>=1"
    assert str(FigureFilter("proactive.fees.amount", "<", 2.5)) == "proactive.fees.amount<2.5"


def test_offset_and_with_page():
    request = SearchRequest(page=3, page_size=20)
    assert request.offset == 40
    assert request.with_page(1).offset == 0
    with pytest.raises(BadRequest):
        request.with_page(0)
