"""Numbers stay numbers: a figure is finite and below 10^12 or absent, and every JSON
body the site sends is strict JSON (no NaN, no Infinity), read here with a parser that
refuses them as browsers' and most languages' parsers do."""
from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from corpus.numbers import MAX_FIGURE, OUT_OF_RANGE, cell_value, is_figure
from corpus.parse import parse_bytes
from madeup import layouts
from tests.web_support import made_up_reports, make_app, site_index


def strict(body: bytes | str):
    """json.loads that refuses NaN, Infinity and -Infinity, like JSON.parse."""
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(body, parse_constant=refuse)


def test_a_cell_of_hundreds_of_digits_is_not_a_figure():
    assert cell_value("7" * 400) == OUT_OF_RANGE
    assert cell_value("1,000,000,000,000") == OUT_OF_RANGE
    assert cell_value("999999999999") == 999_999_999_999
    assert cell_value("000123") == 123
    assert not is_figure(float("inf")) and not is_figure(float("nan")) and not is_figure(MAX_FIGURE)
    assert is_figure(12.5) and is_figure(-3)


def test_a_report_printing_400_digits_keeps_its_other_figures_and_stays_strict_json():
    made = layouts.made_up(7)
    huge = int("7" * 400)
    made.figures["requests.granted.natural"] = huge
    report = parse_bytes(layouts.markdown(made).encode("utf-8"), "huge.md", ".md")
    assert report.to_json()["ok"], report
    assert "requests.granted.natural" not in report.figures
    assert all(math.isfinite(v) and abs(v) < MAX_FIGURE for v in report.figures.values())
    # The cell kept its place: the figures beside it are read as printed.
    assert report.figures["requests.granted.business"] == made.figures["requests.granted.business"]
    assert len(report.figures) == len(made.figures) - 1
    # The table's check says why the figure is absent.
    table3 = next(check for check in report.checks if check.rule == "tables.3")
    assert not table3.ok and "1 个超出合理范围" in table3.detail and "granted.natural" in table3.detail
    strict(json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """An index whose report carries absurd figures (as a parser before the bound gave)."""
    reports = made_up_reports()
    absurd = replace(reports[0], figures={**reports[0].figures, "requests.new.total": float("inf"),
                                          "proactive.fees.amount": 1e300,
                                          "proactive.licensing.decisions": float("nan")})
    root = site_index(tmp_path_factory.mktemp("absurd-index"), [absurd, *reports[1:]])
    return make_app(root).test_client()


JSON_URLS = [
    "/api/reports/青柳市交通运输局-2022",
    "/api/agencies/青柳市交通运输局",
    "/api/agencies",
    "/api/figures?figure=requests.new.total&figure=proactive.fees.amount&figure=proactive.licensing.decisions",
    "/api/search?q=依申请公开&fig=requests.new.total>=1",
    "/api/search?sort=proactive.fees.amount",
    "/figures?figure=requests.new.total&figure=proactive.fees.amount&format=json",
    "/api/openapi.json",
    "/api/reports/nope",
]


@pytest.mark.parametrize("url", JSON_URLS)
def test_every_json_body_is_strict_json(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    data = strict(response.data)
    text = json.dumps(data, ensure_ascii=False)
    assert "Infinity" not in text and "NaN" not in text and "1e+300" not in text


def test_pages_and_csv_show_no_inf(client):
    for url in ("/reports/青柳市交通运输局-2022", "/agencies/青柳市交通运输局",
                "/figures?figure=requests.new.total&figure=proactive.fees.amount",
                "/figures?figure=requests.new.total&figure=proactive.fees.amount&format=csv"):
        body = client.get(url).get_data(as_text=True)
        assert "inf" not in body.replace("info", "").lower(), url
        assert "nan" not in body.lower().replace("nanum", ""), url


def test_the_app_refuses_to_serialise_nan(client):
    with pytest.raises(ValueError):
        client.application.json.dumps({"figure": float("nan")})
