"""The /api page: the JSON API explained in Chinese, read from the OpenAPI document.

Everything on the page comes from `web.openapi.document()` — the same description
``/api/openapi.json`` serves and the API tests validate real answers against — so the
page cannot say something the API does not do. For each route it lists the
parameters, a sample request (a link that runs it) and the answer's fields with a
sample answer laid out from the response schema; then the error envelope and the
rate limit (from the app's settings).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from flask import current_app

from web.config import search_settings
from web.openapi import document
from web.render import Resource

WHERE = {"query": "查询参数", "path": "路径参数"}
TYPES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否", "array": "列表",
         "object": "对象", "null": "空"}
PERIODS = {"second": "每秒", "minute": "每分钟", "hour": "每小时", "day": "每天"}
# Values the sample requests use (the parameter's own example, if it has one, comes first).
SAMPLE_VALUES = {"q": "行政复议", "figure": "requests.new.total", "page": "1", "size": "10",
                 "year": "2023", "sort": "relevance"}


@dataclass
class Param:
    name: str
    where: str
    required: bool
    kind: str
    description: str


@dataclass
class FieldDoc:
    name: str
    kind: str
    description: str


@dataclass
class Endpoint:
    path: str
    summary: str
    params: list[Param]
    sample_url: str
    fields: list[FieldDoc]
    sample: str                       # the answer's shape, as indented JSON
    errors: list[str] = field(default_factory=list)


@dataclass
class ApiPage:
    title: str
    intro: str
    endpoints: list[Endpoint]
    error_fields: list[FieldDoc]
    error_sample: str
    rate_limit: str
    openapi_url: str


SHOWN_CHOICES = 8      # an enum longer than this shows its first values and how many there are


def _kind(schema: dict, schemas: dict) -> str:
    """A schema's type in Chinese words: 文字、整数的列表、Report 对象 …"""
    schema = _resolve(schema, schemas)
    if "anyOf" in schema:
        kinds = [_kind(sub, schemas) for sub in schema["anyOf"]]
        return "或".join(kind for kind in kinds if kind != '固定为 ""') + ("（可为空）" if '固定为 ""' in kinds else "")
    if "enum" in schema:
        values = [str(v) for v in schema["enum"]]
        if len(values) > SHOWN_CHOICES:
            return "取值之一：" + "、".join(values[:SHOWN_CHOICES]) + f" 等 {len(values)} 个"
        return "取值之一：" + "、".join(values)
    if "const" in schema:
        return f"固定为 {json.dumps(schema['const'])}"
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        return "或".join(TYPES.get(k, k) for k in kind)
    if kind == "array":
        return _kind(schema.get("items", {}), schemas) + "的列表"
    if "minimum" in schema and "maximum" in schema:
        return f"{TYPES.get(kind, kind)}（{schema['minimum']}–{schema['maximum']}）"
    return TYPES.get(kind, kind)


def _resolve(schema: dict, schemas: dict) -> dict:
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _sample(schema: dict, schemas: dict, depth: int = 0):
    """A sample value shaped like `schema`: one item per list, placeholders for text."""
    schema = _resolve(schema, schemas)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
    if kind == "array":
        return [_sample(schema.get("items", {}), schemas, depth + 1)] if depth < 6 else []
    if kind == "object":
        properties = schema.get("properties")
        if properties:
            return {name: _sample(sub, schemas, depth + 1) for name, sub in properties.items()}
        extra = schema.get("additionalProperties")
        return {"…": _sample(extra, schemas, depth + 1)} if isinstance(extra, dict) else {}
    return {"string": "…", "integer": 0, "number": 0, "boolean": True}.get(kind)


def _fields(schema: dict, schemas: dict) -> list[FieldDoc]:
    schema = _resolve(schema, schemas)
    return [FieldDoc(name, _kind(sub, schemas), _resolve(sub, schemas).get("description", ""))
            for name, sub in schema.get("properties", {}).items()]


def _sample_url(path: str, params: list[dict], examples: dict) -> str:
    """The route with its path parameters filled and a typical query (`examples`: values
    for path parameters and required query parameters)."""
    url = re.sub(r"\{(\w+)\}", lambda m: quote(examples.get(m.group(1), m.group(1))), path)
    query = {p["name"]: SAMPLE_VALUES[p["name"]] for p in params
             if p["in"] == "query" and p["name"] in SAMPLE_VALUES and p["name"] in ("q", "figure")}
    # A required query parameter (the two reports of /api/compare) takes the example's value.
    query.update({p["name"]: examples[p["name"]] for p in params
                  if p["in"] == "query" and p.get("required") and p["name"] in examples})
    return url + ("?" + urlencode(query) if query else "")


def rate_limit_text(setting: str, enabled: bool) -> str:
    """ "120 per minute;2000 per hour" -> 每个 IP 每分钟最多 120 次、每小时最多 2000 次。"""
    if not enabled or not setting:
        return "目前不限制请求次数。"
    parts = []
    for piece in re.split(r"[;,]", setting):
        match = re.match(r"\s*(\d+)\s*(?:per|/)\s*(\d*)\s*(second|minute|hour|day)s?", piece)
        if match:
            count, every, period = match.groups()
            span = f"每 {every} {PERIODS[period][1:]}" if every and every != "1" else PERIODS[period]
            parts.append(f"{span}最多 {count} 次")
    return ("每个访问来源" + "、".join(parts) + "。超出时返回 HTTP 429 和错误信封，响应头 Retry-After "
            "说明多少秒后可以再试。") if parts else f"限制：{setting}。"


def api_page(examples: dict, rate_limit: str, openapi_url: str) -> ApiPage:
    """The page; `examples` fills path parameters ({"report_id": …}) of the sample requests."""
    doc = document(settings=search_settings(current_app.config))     # the bounds the site runs with
    schemas = doc["components"]["schemas"]
    endpoints = []
    for path, item in doc["paths"].items():
        operation = item["get"]
        params = operation.get("parameters", [])
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        errors = [status for status in operation["responses"] if status != "200"]
        endpoints.append(Endpoint(
            path=path, summary=operation.get("summary", ""),
            params=[Param(p["name"], WHERE.get(p["in"], p["in"]), p.get("required", False),
                          _kind(p["schema"], schemas), p.get("description", "")) for p in params],
            sample_url=_sample_url(path, params, examples),
            fields=_fields(answer, schemas),
            sample=json.dumps(_sample(answer, schemas), ensure_ascii=False, indent=2),
            errors=errors))
    error = schemas["Error"]
    return ApiPage(
        title=doc["info"]["title"], intro=doc["info"].get("description", ""), endpoints=endpoints,
        error_fields=_fields(error, schemas),
        error_sample=json.dumps({"ok": False, "error": "年度“20x3”不是有效的年份。", "status": 400},
                                ensure_ascii=False, indent=2),
        rate_limit=rate_limit, openapi_url=openapi_url)


def resource(examples: dict, rate_limit: str, openapi_url: str) -> Resource:
    """The /api page (a page only: /api/openapi.json is the same document for programs)."""
    return Resource(examples, "api.html", page=lambda found: {"page": api_page(found, rate_limit, openapi_url)})
