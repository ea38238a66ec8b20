"""Who reports for which year in the scale corpus, and which reports carry planted audit cases.

The agencies are invented (`agency_pool`): provincial departments, city bureaus,
district and county bureaus, towns and sub-districts (镇、乡、街道) across a dozen
made-up provinces. `assignments` gives each of N reports a distinct (agency, year),
an agency reporting for consecutive years out of 2019–2025 (`YEARS`). `planted`
decides, by a hash of the seed, the agency and the year (`stable_hash`), which of the
few reports in a hundred carry an audit finding (`PLANT_EVERY`); one agency in
`PLANT_EVERY["missing_year"]` skips a year in the middle of its run.

Place names avoid what the parser's region rule reads as a common noun (城市, 山区,
城区, 和 …: see corpus.meta), so each agency's region is known exactly.
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

YEARS = tuple(range(2019, 2026))
REPORTS_PER_AGENCY = 5   # on average; an agency reports for some of the seven years

PROVINCES = ("江川省", "青原省", "云岭省", "河阳省", "闽海省", "湘山省", "秦北省", "蜀南省",
             "燕平省", "晋原省", "楚江省", "黔溪省", "天山自治区", "漓江自治区")
_FIRST = "青云北东西南临安宁平长永兴新龙凤金银石白红黄丰盛清明华泰嘉瑞祥广德昌隆"
_SECOND = "禾岭川澜陵江山河湖阳泉林峰溪原桥浦海沙塘源坪阁"
_DISTRICT_SECOND = "湖水关桥岗塘林港洲湾"
_TOWN_SECOND = "桥溪口铺坝岗营店湾庄"

PROVINCE_DEPARTMENTS = (
    "人民政府办公厅", "教育厅", "财政厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅",
    "水利厅", "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "市场监督管理局", "统计局",
    "医疗保障局", "发展和改革委员会", "民政厅", "司法厅", "人力资源和社会保障厅", "应急管理厅",
)
CITY_DEPARTMENTS = (
    "人民政府", "人民政府办公室", "教育局", "财政局", "自然资源和规划局", "生态环境局",
    "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化广电和旅游局",
    "卫生健康委员会", "市场监督管理局", "统计局", "医疗保障局", "发展和改革委员会", "民政局", "司法局",
    "人力资源和社会保障局", "应急管理局", "退役军人事务局", "城市管理局", "数据资源管理局", "林业局",
    "审计局", "科学技术局", "工业和信息化局", "体育局", "地方金融监督管理局",
)
COUNTY_DEPARTMENTS = CITY_DEPARTMENTS[:26]
TOWN_OFFICES = {"镇": "人民政府", "乡": "人民政府", "街道": "办事处"}


@dataclass(frozen=True)
class Agency:
    name: str
    region: str
    level: str   # province, city, county, town


def _places(first: str, second: str, suffix: str) -> list[str]:
    return [a + b + suffix for a in first for b in second if a != b]


def agency_pool() -> list[Agency]:
    """Every agency the generator may use, in a fixed order (about 60 000 names)."""
    pool = [Agency(p + d, p, "province") for p in PROVINCES for d in PROVINCE_DEPARTMENTS]
    cities = _places(_FIRST, _SECOND, "市")
    for n, city in enumerate(cities):
        pool += [Agency(city + d, city, "city") for d in CITY_DEPARTMENTS]
        # Two districts per city, named within the city, and a county named on its own.
        for k in range(2):
            district = city + _FIRST[(n + 7 * k) % len(_FIRST)] + _DISTRICT_SECOND[(n + k) % len(_DISTRICT_SECOND)] + "区"
            pool += [Agency(district + d, district, "county") for d in COUNTY_DEPARTMENTS[: 8 + n % 12]]
            kind = ("镇", "乡", "街道")[(n + k) % 3]
            town = district + _FIRST[(n * 3 + k) % len(_FIRST)] + _TOWN_SECOND[(n + 3 * k) % len(_TOWN_SECOND)] + kind
            pool.append(Agency(town + TOWN_OFFICES[kind], town, "town"))
        county = city[:2] + "县"
        if n % 2 == 0:
            pool += [Agency(county + d, county, "county") for d in COUNTY_DEPARTMENTS[: 10 + n % 10]]
    seen, unique = set(), []
    for agency in pool:
        if agency.name not in seen:
            seen.add(agency.name)
            unique.append(agency)
    return unique


# Planted audit cases, per hundred reports (or agencies, for the missing year).
PLANT_EVERY = {"cross_year": 50, "late": 40, "missing_year": 40, "duplicate": 60, "text_table": 50}
COPY_GROUPS = 1          # copied problems sections: one shared text per year


def stable_hash(*parts) -> int:
    """A hash of `parts` that is the same in every process and run (unlike `hash` of a str)."""
    return zlib.crc32(":".join(map(str, parts)).encode())


def planted(seed: int, agency: str, year: int) -> tuple[str, ...]:
    """The audit findings planted in this agency's report on this year (none for most)."""
    return tuple(kind for kind, every in PLANT_EVERY.items()
                 if kind != "missing_year" and stable_hash(kind, seed, agency, year) % every == 0)


def assignments(n: int, seed: int) -> list[tuple[Agency, int]]:
    """The (agency, year) of reports 0 … n-1: distinct pairs, spread over many agencies.

    Each agency reports for consecutive years, except one agency in `PLANT_EVERY`
    ["missing_year"] that skips a year in the middle. The pairs depend on the seed and
    on N (more reports, more agencies).
    """
    pool = agency_pool()
    agencies = max(1, min(len(pool), -(-n // REPORTS_PER_AGENCY)))
    if agencies * len(YEARS) < n:
        raise ValueError(f"at most {len(pool) * len(YEARS)} distinct reports can be generated")
    length = -(-n // agencies)
    rng = random.Random(f"agencies:{seed}:{n}")
    chosen = rng.sample(pool, agencies)
    pairs = []
    for agency in chosen:
        gap = length + 1 <= len(YEARS) and stable_hash("missing_year", seed, agency.name) % PLANT_EVERY["missing_year"] == 0
        start = rng.randint(YEARS[0], YEARS[-1] - length + 1 - gap)
        years = list(range(start, start + length + gap))
        if gap:
            years.pop(len(years) // 2)
        pairs += [(agency, year) for year in years]
    pairs = pairs[:n]
    rng.shuffle(pairs)
    return pairs
