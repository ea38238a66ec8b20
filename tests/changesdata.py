"""Made-up pairs of reports for the tests of what changed from one year to the next.

Every agency is fictional and every sentence written for these tests. Each agency is
one case of a report against its predecessor:

- `UNCHANGED` (丹霞市统计局, 2022 → 2023): the same prose and the same figures;
- `ONE_NUMBER` (丹霞市审计局): one number in a sentence changed, and figures changed by
  little and by much (`BEFORE`, `AFTER`);
- `ADDED` (丹霞市水务局): one sentence added to the problems section, and the template
  switched (a 2019 figure gone, a 2021 one new);
- `REWRITTEN` (丹霞市林业局): the overview rewritten, the rest kept;
- `GAP` (丹霞县民政局, 2020 and 2023): the years between are missing;
- `FIRST` (丹霞县文旅局, 2023 alone): nothing to compare with.

`SENTENCES` and `EXTRA` hold the sentences the prose is made of, so a test can count
their characters itself. `change_reports()` gives every report.
"""
from __future__ import annotations

from corpus.report import SECTION_TITLES, Report, Section

UNCHANGED, ONE_NUMBER, ADDED, REWRITTEN = "丹霞市统计局", "丹霞市审计局", "丹霞市水务局", "丹霞市林业局"
GAP, FIRST = "丹霞县民政局", "丹霞县文旅局"

SENTENCES = [
    "本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。",
    "门户网站信息公开专栏按照主题分类，方便公众查找现行有效的规范性文件。",
    "依申请公开实行台账管理，受理、告知、答复各环节全程留痕。",
    "存在的主要问题是政策解读形式较为单一，部分栏目更新不够及时。",
    "下一步将丰富解读形式，明确栏目维护责任，确保信息常更常新。",
]
REQUESTS_OLD = "本年新收政府信息公开申请12件，予以公开10件。"
REQUESTS_NEW = "本年新收政府信息公开申请15件，予以公开10件。"
EXTRA = "同时将加强对基层单位的业务指导和督促检查，推动公开标准目录落地见效。"
NEW_OVERVIEW = ("本年度我们重点围绕森林防火和林长制改革发布政策文件十六份。"
                "林区群众通过乡村公告栏即可查阅采伐许可办理结果。")

BEFORE = {"requests.new.total": 12.0, "requests.granted.total": 10.0, "appeals.review.total": 0.0,
          "proactive.licensing.decisions": 100.0, "proactive.penalty.decisions": 100.0,
          "proactive.rules.in_force": 7.0}
AFTER = {"requests.new.total": 15.0, "requests.granted.total": 10.0, "appeals.review.total": 12.0,
         "proactive.licensing.decisions": 160.0, "proactive.penalty.decisions": 140.0,
         "proactive.rules.in_force": 7.0}


def report(agency: str, year: int, texts: dict[str, str], figures: dict | None = None,
           region: str = "") -> Report:
    """A made-up report with these sections' prose and figures (checks left empty)."""
    return Report(source=f"{agency}-{year}.txt", agency=agency, region=region or agency[:3], year=year,
                  published=f"{year + 1}-01-20", template=2021,
                  sections=[Section(key, SECTION_TITLES[key], text) for key, text in texts.items()],
                  figures=dict(figures or {}), checks=[])


def base_texts() -> dict[str, str]:
    return {"overview": SENTENCES[0] + SENTENCES[1], "requests": SENTENCES[2] + REQUESTS_OLD,
            "problems": SENTENCES[3] + SENTENCES[4]}


def change_reports() -> list[Report]:
    texts = base_texts()
    numbered = {**texts, "requests": SENTENCES[2] + REQUESTS_NEW}
    added = {**texts, "problems": SENTENCES[3] + SENTENCES[4] + EXTRA}
    rewritten = {**texts, "overview": NEW_OVERVIEW}
    return [
        report(UNCHANGED, 2022, texts, BEFORE), report(UNCHANGED, 2023, texts, BEFORE),
        report(ONE_NUMBER, 2022, texts, BEFORE), report(ONE_NUMBER, 2023, numbered, AFTER),
        report(ADDED, 2022, texts, {"requests.new.total": 5.0, "requests.other_all.total": 1.0}),
        report(ADDED, 2023, added, {"requests.new.total": 5.0, "requests.other_other.total": 1.0}),
        report(REWRITTEN, 2022, texts, BEFORE), report(REWRITTEN, 2023, rewritten, BEFORE),
        report(GAP, 2020, texts, BEFORE), report(GAP, 2023, numbered, AFTER),
        report(FIRST, 2023, texts, BEFORE),
    ]
