"""What `corpus fetch` saved goes into the index with its web address, shown as 原文链接.

The made-up portal (tests/portal.py) is fetched once; `index build --corpus DIR` and
`index add FILE` read DIR/manifest.jsonl for each file's URL; the report page links
it and the API's report object carries it. Files no reader takes are refused with
their reason in the build summary, never dropped.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from corpus.fetch.client import Client
from corpus.fetch.crawl import Crawl
from index import build as builder
from index import schema as f
from tests import portal
from tests.test_web_api import validate
from tests.web_support import make_app

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """(site, paths, DIR) after one fetch of both columns."""
    site, elsewhere = portal.Site().start(), portal.Site().start()
    paths = portal.furnish(site, elsewhere)
    out = tmp_path_factory.mktemp("fetched")
    with Client(delay=0) as client:
        Crawl(client, out).run([site.url("/xxgk/ndbg/index.html"), site.url("/xxgk/nb/index.html")])
    yield site, paths, out
    site.stop()
    elsewhere.stop()


@pytest.fixture(scope="module")
def built(fetched, tmp_path_factory):
    """(build summary, index root) of one `index build --corpus DIR` over the fetch."""
    root = tmp_path_factory.mktemp("fetched-index")
    return builder.build(fetched[2], root, workers=1), root


def stored_reports(root: Path) -> dict[str, dict]:
    from index import store

    ix = store.open_generation(root, store.current_generation(root))
    with ix.searcher() as searcher:
        return {doc[f.REPORT_ID]: dict(doc) for doc in searcher.documents(kind=f.KIND_REPORT)}


def test_build_keeps_each_reports_source_url(fetched, built):
    site, paths, _ = fetched
    summary, root = built
    urls = {rid: doc.get(f.SOURCE_URL) for rid, doc in stored_reports(root).items()}
    assert urls == {
        "云岭县农业农村局-2020": site.url(paths["html"]),
        "北川市南湖区卫生健康委员会-2021": site.url(paths["moved_to"]),   # where the redirect led
        "西陵市住房和城乡建设局-2023": site.url(paths["old"]),
        "临江市石桥镇人民政府-2024": site.url(paths["script"]),
        "青禾市数据资源管理局-2023": site.url(paths["pdf"]),              # an attachment's own URL
        "青柳县民政局-2022": site.url(paths["docx"]),
        "青柳县水利局-2021": site.url(paths["doc"]),                      # .doc, converted by LibreOffice
    }
    refused = {Path(item["source"]).name: item["error"] for item in summary.refused}
    assert set(refused) == {"art_102.html", "t20230115_104.html", "t20220110_106.html",
                            "P020230115_2.xls"}       # 详见附件 pages, and the spreadsheet
    assert refused["P020230115_2.xls"] == "The file is an Excel spreadsheet (.xls), not a report document."
    assert "manifest.jsonl" not in {Path(item["source"]).name for item in summary.refused}


def test_report_page_and_api_show_the_source_url(fetched, built):
    site, paths, _ = fetched
    client = make_app(built[1]).test_client()
    page = BeautifulSoup(client.get("/reports/青柳县水利局-2021").get_data(as_text=True), "lxml")
    link = page.find("a", string="原文链接")
    assert link["href"] == site.url(paths["doc"]) and "noopener" in link["rel"]
    response = client.get("/api/reports/青柳县水利局-2021")
    assert response.get_json()["report"]["source_url"] == site.url(paths["doc"])
    validate(client, response, "/api/reports/{report_id}")


def test_index_add_finds_the_manifest_above_the_file(fetched, built):
    """Adding a fetched file again (it replaces itself) keeps its URL."""
    site, paths, out = fetched
    root = built[1]
    entry = next(e for e in map(json.loads, (out / "manifest.jsonl").read_text("utf-8").splitlines())
                 if e["url"] == site.url(paths["pdf"]))
    done = subprocess.run([sys.executable, "-m", "index", "add", str(out / entry["file"]),
                           "--index", str(root), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "青禾市数据资源管理局-2023" in done.stdout
    assert stored_reports(root)["青禾市数据资源管理局-2023"][f.SOURCE_URL] == site.url(paths["pdf"])


def test_without_libreoffice_the_fetch_warns_and_the_build_refuses_the_doc(fetched, tmp_path, monkeypatch):
    site, paths, out = fetched
    monkeypatch.setenv("PATH", str(tmp_path))     # no soffice
    with Client(delay=0) as client:
        summary = Crawl(client, out).run([site.url("/xxgk/ndbg/index.html")])
    assert summary.counts["unchanged"] == 10 and summary.legacy_files == 1
    assert any(line.startswith("  note: 1 legacy Word files (.doc/.wps) were saved but LibreOffice is "
                                "not installed") for line in summary.lines())
    built = builder.build(out, tmp_path / "index", workers=1)
    refused = {Path(item["source"]).name: item["error"] for item in built.refused}
    assert refused["P020220110.doc"].startswith("It is a legacy Word file (.doc/.wps) and no converter")


def test_a_file_from_elsewhere_has_no_source_url(tmp_path):
    from tests import indexdata

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    indexdata.write_report(corpus, "a.txt", "青柳县审计局", 2023)
    (corpus / "manifest.jsonl").write_text(json.dumps(
        {"url": "javascript:alert(1)", "file": "a.txt"}) + "\n", encoding="utf-8")  # not a web address
    builder.build(corpus, tmp_path / "index", workers=1)
    assert f.SOURCE_URL not in stored_reports(tmp_path / "index")["青柳县审计局-2023"]
    page = make_app(tmp_path / "index").test_client().get("/reports/青柳县审计局-2023").get_data(as_text=True)
    assert "原文链接" not in page and "javascript:" not in page
