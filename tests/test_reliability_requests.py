"""Hostile requests: every route and parameter of the site, fuzzed from /api/openapi.json.

Hypothesis over the OpenAPI document itself (Schemathesis checks the API against it,
tests/test_openapi_schemathesis.py; this walks every route of the site, pages too, with
hostile values of our own): each parameter gets
values of its own type and hostile ones (markup, path traversal, query syntax,
control characters, huge numbers, long strings), repeated where the parameter is a
list, plus unknown parameters. Every route of the app is fuzzed: the API's from the
document, each HTML page with the parameters of its API twin. No answer may be a 5xx;
HTML and Atom must never carry the injected markup unescaped; JSON is the envelope
and a 200 matches its schema; ids that try to leave their folder are 404s.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.web_support import make_app, site_index

pytestmark = pytest.mark.reliability

MARK = "x7q"
PAYLOADS = (
    f"<{MARK}>", f'"><{MARK} onerror=alert(1)>', f"'{MARK}'\"", f"</textarea><{MARK}>", f"javascript:{MARK}",
    "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "....//....//etc/passwd", "/etc/passwd",
    "..\\..\\windows\\win.ini", "%00", "\x00", "\r\nX-Injected: 1", "agency:*", "year:[2000 TO 2100]",
    "*", "a OR", '"unclosed', "((((((((((a", "-" * 50, "公" * 199, "\u202e\u200b", "{{7*7}}", "${7*7}",
    "9" * 400, "-1", "0", "1e309", "NaN", "requests.new.total", "2023", "overview", "asc", "relevance",
)
TRAVERSALS = ("..", "../..", "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "..\\..\\etc\\passwd", "....//....//etc/passwd", "%252e%252e%252f", "/etc/passwd",
              "青柳市交通运输局-2023/../../../etc/passwd", "青柳市交通运输局-2023%2f..%2f..%2fbuild.json",
              "build.json", "current", ".lock", "%00", "青柳市交通运输局-2023%00.txt")
ALLOWED = {200, 400, 404}
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = make_app(site_index(tmp_path_factory.mktemp("fuzz-index")))
    return app.test_client()


@pytest.fixture(scope="module")
def spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def routes(client, spec) -> list[tuple[str, list[dict]]]:
    """Every GET route of the app (OpenAPI path form) with the parameters it is fuzzed with."""
    api = {path: op["get"].get("parameters", []) for path, op in spec["paths"].items()}
    every_query = {p["name"]: p for params in api.values() for p in params if p["in"] == "query"}
    found = []
    for rule in client.application.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        twin = api.get(path) or api.get("/api" + path)
        if twin is None:   # a page without an API twin (home, feed, original): every query parameter
            twin = [*every_query.values(),
                    *({"name": name, "in": "path", "schema": {"type": "string"}} for name in rule.arguments)]
        found.append((path, twin))
    return sorted(found)


def test_every_route_is_fuzzed(client, spec):
    paths = [path for path, _ in routes(client, spec)]
    # The API routes of the document, their HTML twins, and the pages without a twin.
    assert set(spec["paths"]) <= set(paths)
    assert {"/", "/search", "/search.atom", "/reports/{report_id}", "/reports/{report_id}/original",
            "/agencies/{agency_id}", "/figures"} <= set(paths)


def _value(schema: dict):
    hostile = st.sampled_from(PAYLOADS) | st.text(max_size=40)
    if "enum" in schema:
        # By index: sampled_from over a long list (a sort's 700 words) drew inconsistently.
        words = list(schema["enum"])
        return st.integers(0, len(words) - 1).map(words.__getitem__) | hostile
    if schema.get("type") == "integer":
        return st.integers(-10**12, 10**12) | st.sampled_from([2019, 2023, 1, 0]) | hostile
    return hostile


def _parameter(param: dict):
    schema = param.get("schema", {})
    if schema.get("type") == "array":
        return st.lists(_value(schema["items"]), max_size=4)
    return _value(schema).map(lambda v: [v])


def _text(value) -> str:
    return str(value)


@st.composite
def requests(draw, route_list):
    path, params = draw(st.sampled_from(route_list))
    query: list[tuple[str, str]] = []
    for param in params:
        if param["in"] == "path":
            raw = _text(draw(st.sampled_from(TRAVERSALS) | st.sampled_from(PAYLOADS) | st.text(min_size=1, max_size=30)
                              | st.just("青柳市交通运输局-2023") | st.just("青柳市交通运输局")))
            path = path.replace("{" + param["name"] + "}", quote(raw, safe=draw(st.sampled_from(["", "/"]))))
        elif draw(st.booleans()):
            query += [(param["name"], _text(v)) for v in draw(_parameter(param))]
    for _ in range(draw(st.integers(0, 2))):   # unknown parameters are ignored, never echoed
        query.append((draw(st.sampled_from(["junk", "callback", "format", "__proto__", "q[]"])),
                      draw(st.sampled_from(PAYLOADS))))
    return path, query


def check(response, path: str, spec: dict) -> None:
    status = response.status_code
    body = response.get_data()
    assert status < 500, (status, body[:300])
    assert status in ALLOWED, status
    for header in SECURITY_HEADERS:
        assert header in response.headers
    kind = response.mimetype
    if kind in ("text/html", "application/atom+xml", "application/xml", "text/xml"):
        assert f"<{MARK}".encode() not in body, "injected markup reflected unescaped"
    elif kind == "application/json" and path.startswith("/api/"):
        data = json.loads(body)
        if status == 200:
            operation = spec["paths"].get(_spec_path(path, spec))
            if operation:
                schema = operation["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                jsonschema.validate(data, {**schema, "components": spec["components"]})
        else:
            assert data["ok"] is False and data["status"] == status and data["error"]
    assert "X-Injected" not in response.headers   # CR LF in a value never splits a header
    assert b"root:x:0:0" not in body


def _spec_path(path: str, spec: dict) -> str | None:
    for pattern in spec["paths"]:
        regex = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(pattern)) + "$"
        if re.match(regex, path.split("?")[0]):
            return pattern
    return None


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_requests_never_fail_or_reflect(client, spec, data):
    path, query = data.draw(requests(routes(client, spec)))
    url = path + ("?" + urlencode(query) if query else "")
    with client.get(url) as response:   # closed: a download holds its file open
        check(response, path, spec)


@pytest.mark.parametrize("route", ["/reports/{}", "/api/reports/{}", "/reports/{}/original",
                                   "/agencies/{}", "/api/agencies/{}"])
def test_path_traversal_in_ids_is_404(client, route):
    for raw in TRAVERSALS:
        for safe in ("", "/"):
            with client.get(route.format(quote(raw, safe=safe))) as response:
                assert response.status_code == 404, (route, raw, safe, response.status_code)
                assert b"root:x:0:0" not in response.get_data()


def test_real_ids_still_answer(client):
    # The traversal test means something only if the same routes serve real ids.
    for url in ("/reports/青柳市交通运输局-2023", "/api/reports/青柳市交通运输局-2023",
                "/reports/青柳市交通运输局-2023/original", "/agencies/青柳市交通运输局",
                "/api/agencies/青柳市交通运输局"):
        with client.get(quote(url)) as response:
            assert response.status_code == 200, url


@pytest.mark.parametrize("url", [
    "/api/search?" + urlencode({"q": "公" * 201}),
    "/search?" + urlencode({"q": "a" * 5000}),
    "/search.atom?" + urlencode({"q": "a" * 5000}),
    "/api/search?page=1001",
    "/api/search?page=" + "9" * 400,
    "/api/figures?" + urlencode([("figure", f"requests.new.total{n}") for n in range(100)]),
])
def test_oversized_input_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400, (url[:80], response.status_code)
    if url.startswith("/api/"):
        assert response.get_json()["ok"] is False


def test_a_size_of_any_length_is_capped_as_the_document_says(client):
    # The document: size is an integer from 1 up, larger ones cut to the cap.
    for digits in (3, 400):
        assert client.get("/api/search?size=" + "9" * digits).get_json()["page_size"] == 50


def test_markup_in_the_data_is_escaped_where_a_search_shows_it(client):
    # tests.web_support's ecology report carries <script> and <img onerror> in its text.
    for url in ("/search?q=" + quote("字符"), "/search.atom?q=" + quote("字符"),
                "/reports/" + quote("青柳市生态环境局-2023")):
        body = client.get(url).get_data(as_text=True)
        assert "字符" in body, url
        assert "<script>" not in body and "<img src=x" not in body, url
