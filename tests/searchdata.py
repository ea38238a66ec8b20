"""A tiny made-up corpus and index for the search tests.

Every agency and every sentence here is invented for these tests. `CORPUS` is a list
of `Report` objects (three regions, two years, both templates, one failing report,
a ``<script>`` payload, numbers, text broken across a line); `build_index(root,
reports)` writes them with the index build into an index root and returns the
`IndexHandle` search/ reads through; tests/conftest.py builds `CORPUS` once a run.
"""
from __future__ import annotations

from pathlib import Path

from corpus.report import Check, Report, Section, SECTION_TITLES
from index.build import build_from
from index.reading import Parsed
from index.store import IndexHandle

XSS = '<script>alert("x")</script>'

TEXTS = {
    ("青山市工业和信息化局", 2023): {
        "overview": "2023年，青山市工业和信息化局坚持以公开为常态，全年主动公开信息120条。"
                    "围绕数字经济发展，发布政策解读12篇。",
        "requests": "本年新收政府信息公开申请12件，予以公开8件，部分公开2件，"
                    "因申请内容不明确无法提供2件。",
        "appeals": "本年度未发生行政复议和行政\n诉讼案件。",
        "problems": "存在的问题是政策解读形式较为单一。下一步将丰富解读形式，提升公开质量。",
    },
    ("青山市工业和信息化局", 2022): {
        "overview": "2022年，本局认真贯彻《中华人民共和国政府信息公开条例》，主动公开信息98条。",
        "requests": "本年新收政府信息公开申请3件，均予以公开。",
        "other": "本机关未收取信息处理费。" + XSS,
    },
    ("青山市发展和改革委员会", 2023): {
        "overview": "2023年，青山市发展和改革委员会围绕重大项目建设，公开项目审批信息56条。",
        "requests": "本年新收申请20件，予以公开15件，不予公开3件，其中涉及国家秘密1件。",
        "appeals": "本年度发生行政复议2件，结果维持1件，尚未审结1件；行政诉讼1件。",
    },
    ("绿水县人力资源和社会保障局", 2023): {
        "overview": "绿水县人力资源和社会保障局全年公开就业创业政策信息45条，社保待遇调整信息8条。",
        "requests": "本年新收政府信息公开申请5件，全部予以公开。",
        "problems": "存在的问题：部分信息更新不够及时。下一步将建立信息更新台账。",
    },
    ("绿水县住房和城乡建设局", 2022): {
        "overview": "绿水县住房和城乡建设局公开保障性住房分配信息30条，棚户区改造信息12条。",
        "requests": "本年新收政府信息公开申请7件，予以公开6件，无法提供1件。",
        "appeals": "本年度发生行政诉讼1件，尚未审结。",
    },
    ("白云区卫生健康委员会", 2023): {
        "overview": "白云区卫生健康委员会公开医疗机构执业登记信息200条，公共卫生信息36条。",
        "requests": "本年新收政府信息公开申请0件。",
        "other": "无其他需要报告的事项。",
    },
}
REGIONS = {
    "青山市工业和信息化局": "青山市", "青山市发展和改革委员会": "青山市",
    "绿水县人力资源和社会保障局": "绿水县", "绿水县住房和城乡建设局": "绿水县",
    "白云区卫生健康委员会": "白云区",
}
FIGURES = {
    ("青山市工业和信息化局", 2023): {"requests.new.total": 12, "requests.granted.total": 8,
                                     "appeals.review.total": 0, "proactive.fees.amount": 1.5},
    ("青山市工业和信息化局", 2022): {"requests.new.total": 3, "requests.granted.total": 3},
    ("青山市发展和改革委员会", 2023): {"requests.new.total": 20, "requests.granted.total": 15,
                                       "appeals.review.total": 2},
    ("绿水县人力资源和社会保障局", 2023): {"requests.new.total": 5, "requests.granted.total": 5,
                                           "appeals.review.total": 0},
    ("绿水县住房和城乡建设局", 2022): {"requests.new.total": 7, "requests.granted.total": 6,
                                       "appeals.review.total": 0},
    ("白云区卫生健康委员会", 2023): {"requests.new.total": 0},
}
FAILING = {("青山市发展和改革委员会", 2023)}


def make_reports(texts=None) -> list[Report]:
    """The corpus as `Report` objects (or any ``{(agency, year): {key: text}}``)."""
    reports = []
    for (agency, year), sections in (texts or TEXTS).items():
        failing = (agency, year) in FAILING
        reports.append(Report(
            source=f"{agency}-{year}.txt", agency=agency,
            region=REGIONS.get(agency, agency[:3]), year=year, published=f"{year + 1}-01-15",
            template=2019 if year == 2022 else 2021,
            sections=[Section(key, SECTION_TITLES[key], text) for key, text in sections.items()],
            figures={key: float(v) for key, v in FIGURES.get((agency, year), {}).items()},
            checks=[Check("balance.total", not failing, "new + carried_over vs total + carried_forward")],
        ))
    return reports


CORPUS = make_reports()


def build_index(root: Path, reports=None) -> IndexHandle:
    """Build `reports` (default `CORPUS`) into an index under `root`; its handle."""
    reports = CORPUS if reports is None else reports
    parsed = [Parsed(path=str(Path(root) / "none" / r.source), source=r.source, mtime=0.0,
                     order=i, result=r) for i, r in enumerate(reports)]
    build_from(parsed, root, workers=1)
    return IndexHandle(root)
