"""Made-up reports and a small index built from them, for the site's tests.

Four fictional reports from three fictional agencies (two regions, two years, both
templates). Their texts share words so searches find several sections, carry a
markup payload that must come out escaped, and one report's table 3 does not
balance, so it fails a check. `site_index(root)` builds them into a whoosh index
root with the index build, `site_alias(folder)` behind an OpenSearch alias with that
engine's build; `make_app` wraps either in a test app. The ``site`` fixture gives them on every
engine (`tests.engines.ENGINES`), so ``app`` and ``client`` — and every page and API
test using them — run once per engine.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus.checks import run_checks
from corpus.report import APPLICANT_COLUMNS, Report, Section
from tests.engines import ENGINES

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _requests_table(new: int, granted: int, carried_over: int = 0) -> dict:
    """Table 3 with all applications from natural persons, arithmetic consistent."""
    figures = {}
    rows = {"new": new, "carried_over": carried_over, "granted": granted,
            "partial": new + carried_over - granted, "total": new + carried_over,
            "carried_forward": 0}
    for row, value in rows.items():
        for column in APPLICANT_COLUMNS:
            figures[f"requests.{row}.{column}"] = float(value if column == "natural" else 0)
        figures[f"requests.{row}.total"] = float(value)
    return figures


def _appeals(review: int) -> dict:
    figures = {}
    for group, total in (("review", review), ("suit_direct", 0), ("suit_after_review", 0)):
        for cell, value in (("upheld", total), ("corrected", 0), ("other", 0),
                            ("pending", 0), ("total", total)):
            figures[f"appeals.{group}.{cell}"] = float(value)
    return figures


def _report(agency, region, year, template, published, texts, figures, source) -> Report:
    titles = {"overview": "一、总体情况", "proactive": "二、主动公开政府信息情况",
              "requests": "三、收到和处理政府信息公开申请情况",
              "appeals": "四、政府信息公开行政复议、行政诉讼情况",
              "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
    return Report(
        source=source, agency=agency, region=region, year=year, published=published,
        template=template,
        sections=[Section(key, titles[key], text) for key, text in texts.items()],
        figures=figures, checks=run_checks(figures))


def made_up_reports() -> list[Report]:
    traffic_2022 = _report(
        "青柳市交通运输局", "青柳市", 2022, 2021, "2023-01-20",
        {"overview": "2022年，我局认真落实政府信息公开条例，依申请公开工作规范有序。",
         "proactive": "主动公开道路运输许可信息，公开行政许可决定。",
         "requests": "全年收到依申请公开申请 12 件，均按时答复。",
         "appeals": "本年度发生政府信息公开行政复议 1 件，结果维持。",
         "problems": "存在的问题是公开栏目更新不够及时。"},
        {**_requests_table(12, 10), **_appeals(1), "proactive.licensing.decisions": 340.0,
         "proactive.fees.amount": 12.5},
        "traffic-2022.txt")
    traffic_2023 = _report(
        "青柳市交通运输局", "青柳市", 2023, 2021, "2024-01-18",
        {"overview": "2023年，我局继续做好政府信息公开，依申请公开办理更加规范。",
         "proactive": "主动公开公交线路调整信息和行政处罚决定。",
         "requests": "全年收到依申请公开申请 20 件，予以公开 15 件。",
         "appeals": "未发生行政复议和行政诉讼。",
         "other": "无其他需要报告的事项。"},
        {**_requests_table(20, 15), **_appeals(0), "proactive.licensing.decisions": 410.0},
        "traffic-2023.html")
    ecology_2023 = _report(
        "青柳市生态环境局", "青柳市", 2023, 2021, "2024-01-25",
        {"overview": "2023年，生态环境信息公开工作稳步推进，依申请公开渠道畅通。",
         "requests": "收到依申请公开申请 5 件，予以公开 5 件。",
         "problems": f"个别公开内容格式不规范，例如 {XSS} 这样的字符需要原样显示。"},
        {**_requests_table(5, 5), **_appeals(2)},
        "ecology-2023.txt")
    unbalanced = _requests_table(8, 6)
    unbalanced["requests.total.total"] = 9.0        # 8 new + 0 carried over ≠ 9 + 0 forward
    baishi_2023 = _report(
        "白石县人民政府", "白石县", 2023, 2019, None,
        {"overview": "白石县人民政府办公室负责政府信息公开，依申请公开答复及时。",
         "requests": "收到依申请公开申请 8 件。",
         "appeals": "行政复议 0 件。"},
        {**unbalanced, **_appeals(0)},
        "baishi-2023.txt")
    return [traffic_2022, traffic_2023, ecology_2023, baishi_2023]


def site_index(root: Path, reports: list[Report] | None = None, originals: dict[str, tuple[str, bytes]] | None = None) -> Path:
    """Write reports (default: the made-up ones) as a new generation of the index root.

    Goes through the index's own pieces (schema, audit, change records, documents,
    generations, swap), so the test index has the layout a real build gives; each
    original is a small text file, or what `originals` gives for its report id:
    (suffix, bytes).
    """
    from whoosh import index as whoosh_index

    from index import documents, store
    from index.audit import audit_reports
    from index.bigram_writer import write_missing
    from index.changes.run import change_records
    from index.schema import make_schema

    reports = made_up_reports() if reports is None else reports
    schema = make_schema({name for r in reports for name in (r.agency, r.region)})
    generation = store.new_generation(root)
    folder = generation / store.INDEX_DIR
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer()
    findings = audit_reports(reports)     # as the build does: over the whole corpus
    changes = change_records(reports)     # and each report against its predecessor
    for report in reports:
        rid = documents.report_id(report)
        suffix, content = (originals or {}).get(rid, (".txt", f"{report.agency} {report.year} 原文".encode("utf-8")))
        name = rid + suffix
        (generation / store.ORIGINALS / name).write_bytes(content)
        for document in documents.documents(report, original=name, findings=findings[rid],
                                            changes=changes[rid]):
            writer.add_document(**document)
    writer.commit()
    write_missing(generation)              # the bigram postings, as every build writes them
    store.swap_in(root, generation)
    return root


@dataclass(frozen=True)
class Site:
    """Reports built into one engine, and the app settings that serve them."""

    engine: str
    config: dict


def site_files(folder: Path, reports: list[Report]) -> list:
    """The reports as a build's parsed files, each with its original, a small text file
    in `folder` (as `site_index` keeps them)."""
    from index.reading import Parsed

    folder.mkdir(parents=True, exist_ok=True)
    parsed = []
    for order, report in enumerate(reports):
        original = folder / f"{report.agency}-{report.year}.txt"
        original.write_text(f"{report.agency} {report.year} 原文", "utf-8")
        parsed.append(Parsed(path=str(original), source=report.source, mtime=0.0, order=order, result=report))
    return parsed


def site_alias(folder: Path, reports: list[Report] | None = None) -> Site:
    """The reports (default: the made-up ones) built by the OpenSearch build behind an
    alias of their own on the run's node, with their originals (`site_files`)."""
    from tests.engines import built_opensearch

    reports = made_up_reports() if reports is None else reports
    url, alias = built_opensearch(reports, folder, site_files(folder, reports))
    return Site("opensearch", {"ENGINE": "opensearch", "OPENSEARCH_URL": url, "OPENSEARCH_INDEX": alias})


def site_for(engine: str, folder: Path, reports: list[Report] | None = None) -> Site:
    """The reports built into `engine` (whoosh: an index root under `folder`)."""
    if engine == "opensearch":
        return site_alias(folder, reports)
    return Site("whoosh", {"INDEX_PATH": str(site_index(folder, reports))})


# --- fixtures shared by the site's test modules (imported by name there) ----------


@pytest.fixture(scope="session")
def index_root(tmp_path_factory) -> Path:
    """One whoosh index of the made-up reports for the whole session (tests only read it)."""
    return site_index(tmp_path_factory.mktemp("site-index"))


@pytest.fixture(scope="session", params=ENGINES)
def site(request, index_root, tmp_path_factory) -> Site:
    """The made-up reports on each engine, for the whole session (tests only read them)."""
    if request.param == "whoosh":
        return Site("whoosh", {"INDEX_PATH": str(index_root)})
    return site_alias(tmp_path_factory.mktemp("site-alias"))


def make_app(where: Path | Site, **config):
    """The site's app serving `where` (a whoosh index root, or a `Site` on any engine)."""
    from web import create_app

    served = where.config if isinstance(where, Site) else {"INDEX_PATH": str(where)}
    # One process: the in-memory rate limit is that process's alone (WORKERS 1).
    return create_app({"TESTING": True, **served, "RATELIMIT_ENABLED": False, "WORKERS": 1, **config})


@pytest.fixture()
def app(site):
    return make_app(site)


@pytest.fixture()
def client(app):
    return app.test_client()
