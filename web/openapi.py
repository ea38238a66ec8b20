"""The OpenAPI 3.1 document of the JSON API, built from small schema pieces.

Served at ``/api/openapi.json``. Every success body is the envelope ``{"ok": true}``
plus the route's payload; every failure is `ERROR`. The parameters are generated from
what the parsers accept (`search.request.SearchRequest`,
`search.comparison.ComparisonRequest`, `search.changes.ChangesRequest`): their words from `search.vocabulary`, their
bounds from the settings the site runs with (`config.settings.Settings`: highest
page, values per filter, longest query …), so a raised limit is a raised bound. What
a parser does beyond a schema — a size over its cap is cut to it, an empty filter
value (a form's “all”) counts as absent, a comparison sorts only by one of its
columns — the descriptions say. tests/test_web_api.py validates real responses of
every route against the schemas here, and tests/test_openapi_schemathesis.py has
Schemathesis generate requests from the document served and check the answers, so
the document cannot drift from what the API does.
"""
from __future__ import annotations

import re

from config.settings import DEFAULTS, Settings
from corpus.agency_kind import KINDS as AGENCY_KINDS
from corpus.report import SECTION_KEYS
from search.changes import CHANGE_FIGURES, MEASURES
from search.comparison import FIXED_COLUMNS, ORDERS
from search.request import OPERATORS
from search.vocabulary import (
    AUDIT_KINDS, CHANGE_CLASSES, FIGURE_KEYS, FIRST_YEAR, LAST_YEAR, SORTS, TEMPLATES,
)


def _obj(properties: dict, required=None, extra=False) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": extra}


STR = {"type": "string"}
ID = {"type": "string", "minLength": 1}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
NULLABLE_STR = {"type": ["string", "null"]}
NULLABLE_NUM = {"type": ["number", "null"]}
TRUE = {"const": True}


def _list(items: dict) -> dict:
    return {"type": "array", "items": items}


ERROR = _obj({"ok": {"const": False},
              "error": {"type": "string", "description": "出了什么问题，一句中文"},
              "status": {"type": "integer", "description": "HTTP 状态码（400 参数有误、404 找不到、429 请求过多）"}})

HIT = _obj({
    "report_id": STR, "agency": STR, "agency_id": STR, "region": STR, "year": INT,
    "published": NULLABLE_STR, "section": {"enum": list(SECTION_KEYS)}, "title": STR,
    "snippet": {"type": "string", "description": "HTML: escaped text, query terms in <mark>"},
    "score": NUM,
    "findings": {**_list({"enum": list(AUDIT_KINDS)}), "description": "its report's audit finding kinds"},
})
FACET_VALUE = _obj({"value": {"type": ["string", "integer"]}, "count": INT, "selected": BOOL})
AGENCY_SUMMARY = _obj({"agency": STR, "agency_id": STR, "region": STR, "reports": INT,
                       "sections": INT})
SEARCH = _obj({
    "ok": TRUE, "query": STR,
    "terms": {**_list(STR), "description": "检索词（在正文中标记的词）"},
    "total": {"type": "integer", "description": "命中的章节数"}, "page": INT,
    "page_size": INT, "hits": {**_list(HIT), "description": "本页命中的章节，摘要中检索词以 <mark> 标出"},
    "facets": {"type": "object", "additionalProperties": _list(FACET_VALUE)},
    "agencies": _list(AGENCY_SUMMARY),
    "agencies_total": {"type": "integer", "description": "agencies with a matching section (the list is capped)"},
    "partial": {"type": "boolean", "description": "the search's work budget ran out: every hit is true, "
                "but the total and the order may be incomplete"},
    "notice": {"type": ["string", "null"], "description": "when partial: the sentence saying so (Chinese)"},
    "without_filter": {"type": "object", "additionalProperties": INT,
                       "description": "only when nothing was found: the hits without one selected filter "
                                      "value (\"region:海东市\") or without any filter (\"all\")"},
    "expansions": {"type": "object", "additionalProperties": _list(STR),
                   "description": "按机关简称扩展的检索词及其代表的机关（给检索词加引号则只搜文字）"},
    "unfiltered": {"type": "integer", "description": "不加任何筛选条件时的命中章节数"},
})
CHECK_NUMBER = _obj({"key": {"type": "string", "description": "数字键，如 requests.new.natural"},
                     "label": STR, "value": NUM})
CHECK = _obj({
    "rule": {"type": "string", "description": "规则键，如 balance.natural"}, "ok": BOOL,
    "detail": {"type": "string", "description": "中文说明：按表格所印的行列名称列出数字与算式"},
    "label": STR,
    "numbers": {**_list(CHECK_NUMBER), "description": "算式中的每个数字：键、名称、数值"},
    "cell": {"type": ["string", "null"], "description": "总计与分项不符时：所印总计的数字键，如 appeals.review.total"},
    "parts_sum": {"type": ["number", "null"], "description": "总计与分项不符时：分项之和"},
})
SECTION = _obj({
    "key": {"enum": list(SECTION_KEYS)}, "title": STR,
    "text": {"type": "string", "description": "正文（不含表格）"},
    "tables": {**_list(_list(_list(STR))), "description": "本章节的表格：每表若干行，每行若干单元格文字（合并单元格按所占位置重复）"},
    "url": STR,
})
FINDING = {
    **_obj({
        "kind": {"enum": list(AUDIT_KINDS), "description": "arithmetic 表内勾稽不符 · cross_year 跨年结转不符 · "
                 "late 逾期发布 · missing_year 年度缺报 · duplicate 内容雷同 · text_table 文表不符"},
        "label": {"type": "string", "description": "the kind's Chinese name"},
        "detail": {"type": "string", "description": "one Chinese sentence with the numbers"},
        "other": {"type": "string", "description": "cross_year, duplicate: the other report's id"},
        "other_url": STR, "other_api_url": STR,
        "years": {**_list(INT), "description": "missing_year: the years missing before this report"},
        "figure": {"type": "string", "description": "text_table: the figure key the prose contradicts"},
        "text_value": {"type": "number", "description": "text_table: the count the prose states"},
        "table_value": {"type": "number", "description": "text_table: the count the table gives"},
        "sentence": {"type": "string", "description": "text_table: the sentence quoted"},
        "rules": {**_list(STR), "description": "arithmetic: the failing check rules"},
        "published": STR, "deadline": STR,
        "days_late": {"type": "integer", "description": "late: days after 31 January"},
        "section": {"enum": list(SECTION_KEYS), "description": "duplicate: the copied section"},
        "similarity": {"type": "number", "description": "duplicate: Jaccard of 5-character shingles"},
        "scope": {"enum": ["previous_year", "same_year"], "description": "duplicate: whose report it copies"},
        "twins": _list(_obj({"other": STR, "similarity": NUM})),
        "column": STR, "carried_over": NUM, "carried_forward": NUM,
        "mismatches": _list(_obj({"column": STR, "carried_over": NUM, "carried_forward": NUM})),
        "after": INT,
    }, required=["kind", "label", "detail"]),
    "description": "An audit finding (年报体检); every kind has kind, label and detail, the rest by kind.",
}
CHANGE_CLASS = {"enum": list(CHANGE_CLASSES), "description": "与上年相比：identical 完全相同 · similar 基本相同 "
                "（保留 ≥ 90 %）· revised 部分改写 · rewritten 大幅改写（保留 < 50 %）"}
SECTION_STATE = {"enum": [*CHANGE_CLASSES, "new", "gone"],
                 "description": "a section's state: a class, or new (本年新增) / gone (本年删去)"}
CHANGE_RECORD = {"type": ["object", "null"], "properties": {
    "previous": {**NULLABLE_STR, "description": "the report it is compared with: its agency's report on the year "
                 "before, else the latest earlier one; null when there is none"},
    "previous_year": {"type": ["integer", "null"]},
    "similarity": {"type": ["number", "null"], "description": "share of both reports' prose kept, 0–1"},
    "text": {"anyOf": [CHANGE_CLASS, {"type": "null"}]},
    "text_label": NULLABLE_STR,
    "sections": {"type": "object", "additionalProperties": SECTION_STATE},
    "diff_url": {**NULLABLE_STR, "description": "the whole diff (/api/reports/{id}/changes)"},
}, "required": ["previous", "previous_year", "similarity", "text", "text_label", "sections", "diff_url"],
    "additionalProperties": False,
    "description": "与上年相比 (null: the index keeps no record)"}
REPORT = _obj({
    "id": STR, "agency": STR, "agency_id": STR, "region": STR, "year": INT,
    "published": NULLABLE_STR, "template": {"enum": [2019, 2021]}, "source": STR,
    "sections": _list(SECTION),
    "figures": {"type": "object", "additionalProperties": NUM},
    "checks": _list(CHECK), "consistent": BOOL,
    "findings": {**_list({"$ref": "#/components/schemas/Finding"}),
                 "description": "the audit's findings (年报体检); empty: 体检无异常"},
    "changes": CHANGE_RECORD,
    "url": STR, "original_url": NULLABLE_STR,
    "source_url": {"type": ["string", "null"],
                   "description": "the web page or file the report was fetched from (原文链接)"},
})
REPORT_REF = _obj({"id": STR, "year": INT, "published": NULLABLE_STR, "failing_checks": INT,
                   "url": STR, "api_url": STR, "findings": _list({"$ref": "#/components/schemas/Finding"})})
AGENCY_ITEM = _obj({"id": STR, "agency": STR, "region": STR, "years": _list(INT),
                    "url": STR, "api_url": STR})
AGENCY = _obj({
    "id": STR, "agency": STR, "region": STR, "reports": _list(REPORT_REF),
    "key_figures": {"type": "object", "additionalProperties": _list(NULLABLE_NUM),
                    "description": "figure key -> value per year, aligned with years"},
    "years": _list(INT),
    "checks": {"type": "object", "additionalProperties": _list(CHECK),
               "description": "year -> that report's checks"},
    "url": STR,
})
FIGURES = _obj({
    "ok": TRUE,
    "figures": _list(STR),
    "columns": _list(_obj({"key": STR, "label": STR})),
    "rows": _list({"type": "array", "items": {"type": ["string", "integer", "number", "null"]}}),
    "total": {"type": "integer", "description": "rows on every page together"},
    "page": INT, "size": {"type": "integer", "description": "rows per page"},
    "region": {**_list(STR), "description": "only these regions (each with the regions within it)"},
    "year": _list(INT),
    "audit": {**_list({"enum": list(AUDIT_KINDS)}), "description": "only reports with any of these findings"},
    "sort": STR, "order": {"enum": ["asc", "desc"]},
    "partial": {"type": "boolean", "description": "the work budget ran out: every row is true, but the total "
                "and the order may be incomplete"},
    "notice": {"type": ["string", "null"], "description": "when partial: the sentence saying so (Chinese)"},
})
REPORT_LINK = _obj({"id": STR, "year": INT, "url": STR, "api_url": STR})
DIFF_FIGURE = _obj({
    "key": STR, "label": STR,
    "before": {**NULLABLE_NUM, "description": "the earlier report's value (null: not printed)"},
    "after": NULLABLE_NUM,
    "change": {**NULLABLE_NUM, "description": "after − before"},
    "percent": {**NULLABLE_NUM, "description": "change ÷ |before| × 100; null when before is 0"},
    "large": {"type": "boolean", "description": "|change| ≥ 10 and ≥ 50 % of before (any change ≥ 10 from 0)"},
})
DIFF = _obj({
    "agency": STR, "agency_id": STR, "region": STR, "earlier": REPORT_LINK, "later": REPORT_LINK,
    "gap": {"type": "integer", "description": "years between the two reports (1: the year before)"},
    "similarity": {"type": "number", "description": "share of both reports' prose kept, 0–1"},
    "status": CHANGE_CLASS, "status_label": STR,
    "figures": {**_list(DIFF_FIGURE), "description": "figures in both: large changes first, then other "
                "changes, each by size; then the unchanged"},
    "new_figures": {**_list(DIFF_FIGURE), "description": "in the later report only"},
    "gone_figures": {**_list(DIFF_FIGURE), "description": "in the earlier report only"},
    "sections": _list(_obj({
        "key": {"enum": list(SECTION_KEYS)}, "title": STR, "status": SECTION_STATE, "status_label": STR,
        "similarity": NUM, "added": INT, "removed": INT,
        "edited": {"type": "integer", "description": "sentences edited or with a number changed"},
        "sentences": _list(_obj({
            "kind": {"enum": ["same", "numbers", "edited", "added", "removed"]},
            "old": NULLABLE_STR, "new": NULLABLE_STR,
            "pieces": {**_list(_obj({"text": STR, "kind": {"enum": ["same", "removed", "added"]},
                                     "number": BOOL})),
                       "description": "numbers and edited: the runs kept, removed and added (plain text)"},
        })),
    })),
    "compare_url": {"type": "string", "description": "the two reports side by side"},
})
DIFF_RESPONSE = _obj({
    "ok": TRUE, "report_id": STR,
    "diff": {"anyOf": [{"$ref": "#/components/schemas/Diff"}, {"type": "null"}],
             "description": "null: the agency has no earlier report"},
    "message": {**NULLABLE_STR, "description": "why there is no diff"},
})
CHANGE_ROW = _obj({
    "agency": STR, "agency_id": STR, "region": STR,
    "kind": {"enum": list(AGENCY_KINDS), "description": "机关类型, read off the name's ending"}, "kind_label": STR,
    "earlier": NUM, "later": NUM, "change": NUM,
    "percent": {**NULLABLE_NUM, "description": "change ÷ |earlier| × 100; null when earlier is 0"},
    "findings": {**_list({"enum": list(AUDIT_KINDS)}), "description": "audit findings of either report"},
    "earlier_id": STR, "later_id": STR, "earlier_url": STR, "later_url": STR, "compare_url": STR,
})
CHANGES = _obj({
    "ok": TRUE, "figure": STR, "label": STR, "from": INT, "to": INT, "measure": {"enum": list(MEASURES)},
    "region": _list(STR), "kind": _list({"enum": list(AGENCY_KINDS)}), "audit": _list({"enum": list(AUDIT_KINDS)}),
    "counts": _obj({"compared": {"type": "integer", "description": "agencies with the figure in both years"},
                    "rose": INT, "fell": INT, "same": INT,
                    "only_earlier": {"type": "integer", "description": "agencies with it in the earlier year only"},
                    "only_later": INT}),
    "rises": {**_list(CHANGE_ROW), "description": "the largest rises, largest first"},
    "falls": {**_list(CHANGE_ROW), "description": "the largest falls, largest first"},
    "facets": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": INT},
               "description": "region / kind / audit -> value -> agencies compared passing every other filter"},
})
HEALTH = _obj({
    "ok": TRUE, "engine": {"enum": ["whoosh", "opensearch"]},
    "generation": {"type": "string", "description": "the index generation served (a folder or an index name)"},
    "reports": {"type": "integer", "description": "reports it serves"},
    "built_at": {"type": ["string", "null"], "description": "when that generation was written (UTC, ISO 8601)"},
    "age_seconds": {"type": ["integer", "null"], "description": "seconds since then"},
})
HEALTH_UNAVAILABLE = _obj({"ok": {"const": False}, "error": STR, "status": {"const": 503},
                           "engine": {"enum": ["whoosh", "opensearch"]}})
KIND_COUNTS = {"type": "object", "additionalProperties": INT, "description": "finding kind -> reports"}
AUDIT = _obj({
    "reports": INT, "flagged": {"type": "integer", "description": "reports with any finding"},
    "totals": KIND_COUNTS,
    "by_region": {"type": "object", "additionalProperties": KIND_COUNTS},
    "by_year": {"type": "object", "additionalProperties": KIND_COUNTS},
    "agencies": _list(_obj({"agency": STR, "agency_id": STR, "region": STR, "findings": INT,
                            "reports": INT, "kinds": KIND_COUNTS})),
})


def _param(name, description, schema=STR, many=False, where="query", required=False, most=None) -> dict:
    """A parameter; `many`: repeatable (``year=2022&year=2023``), at most `most` values."""
    if many:
        schema = {**_list(schema), **({"maxItems": most} if most else {})}
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema,
            **({"style": "form", "explode": True} if many else {})}


def _or_empty(schema: dict) -> dict:
    """`schema`, or the empty value a form's “all” option sends (counted as absent)."""
    return {"anyOf": [schema, {"const": ""}]}


FIGURE_KEY_LIST = sorted(FIGURE_KEYS)
# A figure condition as `search.request.parse_figure_filter` reads it: a key, an operator, a number.
FIGURE_CONDITION = ("^(?:" + "|".join(re.escape(k) for k in FIGURE_KEY_LIST) + ")(?:"
                    + "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True))
                    + r")[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
YEAR = {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}


def _filters(settings: Settings) -> dict[str, dict]:
    """The filters a search and a comparison share, by name."""
    text = {"type": "string", "maxLength": settings.max_value_chars}
    most = settings.max_filter_values
    return {
        "agency": _param("agency", f"机关（可重复，至多 {most} 个）", text, many=True, most=most),
        "region": _param("region", f"地区（可重复，至多 {most} 个，含其下辖地区）", text, many=True, most=most),
        "year": _param("year", f"年度（可重复，至多 {most} 个）", _or_empty(YEAR), many=True, most=most),
        "audit": _param("audit", "体检发现类型（可重复，任一即可）", _or_empty({"enum": list(AUDIT_KINDS)}),
                        many=True, most=most),
        "fig": _param("fig", f"数字条件，如 requests.new.total>=1（可重复，须全部满足，至多 {settings.max_figure_filters} 个）",
                      _or_empty({"type": "string", "pattern": FIGURE_CONDITION}), many=True,
                      most=settings.max_figure_filters),
    }


def _page(settings: Settings) -> dict:
    return _param("page", f"页码，从 1 开始，至多 {settings.max_page}",
                  {"type": "integer", "minimum": 1, "maximum": settings.max_page})


def search_parameters(settings: Settings = DEFAULTS) -> list[dict]:
    """The parameters `search.request.SearchRequest.from_params` reads, within `settings`."""
    filters = _filters(settings)
    figure_sorts = [key + order for key in FIGURE_KEY_LIST for order in ("", ":asc", ":desc")]
    return [
        _param("q", f"检索词（至多 {settings.max_query_length} 个字）：空格分隔的词须同时出现；\"引号\"内为原文，"
               "照字面查找，不扩展机关简称（排除时也一样）；-词 表示排除；两词之间的 OR 表示任一即可；"
               "机关简称（如 工信局）会扩展为机关全称", {"type": "string", "maxLength": settings.max_query_length}),
        filters["agency"], filters["region"], filters["year"],
        _param("section", "章节键（可重复）", _or_empty({"enum": list(SECTION_KEYS)}), many=True,
               most=settings.max_filter_values),
        filters["audit"],
        _param("change", "与上年相比：正文改动的程度（可重复，任一即可）", _or_empty({"enum": list(CHANGE_CLASSES)}),
               many=True, most=settings.max_filter_values),
        _param("template", "报告模板（格式）", {"enum": list(TEMPLATES)}),
        _param("failing", "true：只看未通过数据核对的报告；false：只看全部通过的", BOOL),
        filters["fig"],
        _param("sort", "排序：相关度 relevance、最新 newest、最早 oldest，或一个数字键（从大到小；加 :asc 从小到大）",
               {"enum": [*SORTS, *figure_sorts]}),
        _page(settings),
        _param("size", f"每页条数（大于 {settings.max_page_size} 按 {settings.max_page_size}）",
               {"type": "integer", "minimum": 1}),
    ]


def comparison_parameters(settings: Settings = DEFAULTS) -> list[dict]:
    """The parameters `search.comparison.ComparisonRequest.from_params` reads, within `settings`."""
    filters = _filters(settings)
    return [
        _param("figure", f"数字键，如 requests.new.total（可重复，至多 {settings.max_figure_columns} 个；"
               "不给时比较四个常用数字）", _or_empty({"enum": FIGURE_KEY_LIST}), many=True,
               most=settings.max_figure_columns),
        filters["region"], filters["year"], filters["agency"], filters["fig"], filters["audit"],
        _param("sort", "排序列：agency、region、year，或一个数字键（不在 figure 之列的也一并比较，列在最后）",
               {"enum": [*FIXED_COLUMNS, *FIGURE_KEY_LIST]}),
        _param("order", "升序 asc 或降序 desc（默认：机关、地区、年度升序，数字降序）", {"enum": list(ORDERS)}),
        _page(settings),
        _param("size", f"每页行数（大于 {settings.max_comparison_rows} 按 {settings.max_comparison_rows}）",
               {"type": "integer", "minimum": 1}),
    ]


def changes_parameters(settings: Settings = DEFAULTS) -> list[dict]:
    """The parameters `search.changes.ChangesRequest.from_params` reads, within `settings`."""
    filters = _filters(settings)
    most = settings.max_filter_values
    return [
        _param("figure", "数字键，如 requests.new.total（默认）；appeals.suits.total 为两类行政诉讼之和",
               {"enum": sorted(CHANGE_FIGURES)}),
        _param("from", "前一年度（默认：后一年度之前、索引中最近的年度；与后一年度相同时亦然）", YEAR),
        _param("to", "后一年度（默认：索引中最新的年度）；两个年度按先后排列，给反了也按先后比较", YEAR),
        filters["region"],
        _param("kind", f"机关类型（可重复，至多 {most} 个）", _or_empty({"enum": list(AGENCY_KINDS)}),
               many=True, most=most),
        _param("audit", "两份报告任一有这些体检发现（可重复，任一即可）", _or_empty({"enum": list(AUDIT_KINDS)}),
               many=True, most=most),
        _param("measure", "按变化量 absolute（默认）或变化幅度 relative 排序", {"enum": list(MEASURES)}),
        _param("size", f"增加最多、减少最多各列几个机关（大于 {settings.max_change_rows} 按 "
               f"{settings.max_change_rows}）", {"type": "integer", "minimum": 1}),
    ]


def _responses(ok_schema: dict, errors=(400,)) -> dict:
    """200 with `ok_schema`; the envelope for `errors`, 429 (rate limit) and 503 (no index yet,
    the engine unreachable, or a search or comparison over its work budget)."""
    responses = {"200": {"description": "成功", "content": {
        "application/json": {"schema": {"$ref": ok_schema}}}}}
    for status in (*errors, 429, 503):
        responses[str(status)] = {"description": "错误", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return responses


def _wrapped(name: str, key: str) -> dict:
    return _obj({"ok": TRUE, key: {"$ref": f"#/components/schemas/{name}"}})


def document(server_url: str | None = None, settings: Settings = DEFAULTS) -> dict:
    """The whole OpenAPI document (a fresh dict each call); `server_url`: the site's
    address (web.links.base_url), where the paths below are found; `settings`: the
    limits the site runs with (its parameters' bounds)."""
    return {
        "openapi": "3.1.0",
        **({"servers": [{"url": server_url}]} if server_url else {}),
        "info": {"title": "政府信息公开年度报告检索 API", "version": "1",
                 "description": "与网站页面相同的数据。成功：{\"ok\": true, …}；"
                                "失败：{\"ok\": false, \"error\": 说明, \"status\": HTTP 状态码}。"},
        "paths": {
            "/api/search": {"get": {
                "summary": "检索报告章节", "parameters": search_parameters(settings),
                "responses": _responses("#/components/schemas/SearchResponse")}},
            "/api/reports/{report_id}": {"get": {
                "summary": "一份报告的全文、数字与核对",
                "parameters": [_param("report_id", "报告编号", ID, where="path", required=True)],
                "responses": _responses("#/components/schemas/ReportResponse", (404,))}},
            "/api/reports/{report_id}/changes": {"get": {
                "summary": "一份报告与上年相比：每个数字的变化、各章节逐句对比（默认与该机关前一份报告相比）",
                "parameters": [_param("report_id", "报告编号", ID, where="path", required=True),
                               _param("against", "改为与同一机关另一年度的报告相比：其报告编号",
                                      {"type": "string", "maxLength": settings.max_value_chars})],
                "responses": _responses("#/components/schemas/DiffResponse", (400, 404))}},
            "/api/compare": {"get": {
                "summary": "同一机关任意两份报告的对比（先后不限）",
                "parameters": [_param("a", "一份报告的编号", {**ID, "maxLength": settings.max_value_chars},
                                      required=True),
                               _param("b", "同一机关另一年度报告的编号", {**ID, "maxLength": settings.max_value_chars},
                                      required=True)],
                "responses": _responses("#/components/schemas/DiffResponse", (400, 404))}},
            "/api/changes": {"get": {
                "summary": "年度变化：某个数字在两个年度间增加、减少最多的机关",
                "parameters": changes_parameters(settings),
                "responses": _responses("#/components/schemas/ChangesResponse")}},
            "/api/agencies": {"get": {
                "summary": "全部机关",
                "responses": _responses("#/components/schemas/AgenciesResponse", ())}},
            "/api/agencies/{agency_id}": {"get": {
                "summary": "一个机关的历年报告、主要数字与核对记录",
                "parameters": [_param("agency_id", "机关编号", ID, where="path", required=True)],
                "responses": _responses("#/components/schemas/AgencyResponse", (404,))}},
            "/api/figures": {"get": {
                "summary": "比较各机关的数字（与 /figures 的下载内容相同）",
                "parameters": comparison_parameters(settings),
                "responses": _responses("#/components/schemas/FiguresResponse")}},
            "/healthz": {"get": {
                "summary": "服务状态（供负载均衡器探测）：检索引擎、所用索引、报告数、建立时间；没有索引时 503",
                "responses": {
                    "200": {"description": "可以提供服务", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Health"}}}},
                    "503": {"description": "索引尚未建立或检索引擎无法连接", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/HealthUnavailable"}}}}}}},
            "/api/audit": {"get": {
                "summary": "年报体检：各类发现按地区、年度统计，发现最多的机关",
                "responses": _responses("#/components/schemas/AuditResponse", ())}},
        },
        "components": {"schemas": {
            "Error": ERROR,
            "Hit": HIT,
            "SearchResponse": SEARCH,
            "Report": REPORT,
            "ReportResponse": _wrapped("Report", "report"),
            "AgenciesResponse": _obj({"ok": TRUE, "agencies": _list(AGENCY_ITEM)}),
            "Agency": AGENCY,
            "AgencyResponse": _wrapped("Agency", "agency"),
            "FiguresResponse": FIGURES,
            "Finding": FINDING,
            "Diff": DIFF,
            "DiffResponse": DIFF_RESPONSE,
            "ChangesResponse": CHANGES,
            "AuditResponse": _obj({"ok": TRUE, "audit": AUDIT}),
            "Health": HEALTH,
            "HealthUnavailable": HEALTH_UNAVAILABLE,
        }},
    }
