"""Figures -> the template's arithmetic checks, each with the numbers behind it.

The rules are the schema's: the 勾稽关系 printed in table 3 (`balance.*`), results
adding up to their total (`results.*`), the total column adding up the applicant
columns (`row_total.*`) and each appeals group adding up (`appeals.*`). A check
whose numbers are not all present is not reported. A total-of-parts rule also names
the total's cell and what its parts add to, for showing a slip where it stands.
"""
from __future__ import annotations

from corpus.numbers import plain
from corpus.report import (
    APPEAL_CELLS, APPEAL_GROUPS, APPLICANT_COLUMNS, REQUEST_COLUMNS, REQUEST_ROWS,
    RESULT_ROWS_2019, RESULT_ROWS_2021, Check,
)

_TOLERANCE = 1e-6


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _sum_check(rule: str, figures: dict, total_key: str, part_keys: list[str]) -> Check | None:
    """total_key = the sum of part_keys; None when any number is missing."""
    if total_key not in figures or any(k not in figures for k in part_keys):
        return None
    parts = [figures[k] for k in part_keys]
    total = figures[total_key]
    ok = abs(sum(parts) - total) < _TOLERANCE
    short = lambda key: key.split(".", 1)[1]  # noqa: E731 - "requests.new.total" -> "new.total"
    detail = (
        f"{short(total_key)} {_fmt(total)} {'=' if ok else '≠'} "
        + " + ".join(f"{short(k)} {_fmt(figures[k])}" for k in part_keys)
        + f" = {_fmt(sum(parts))}"
    )
    return Check(rule, ok, detail, cell=total_key, parts_sum=plain(round(sum(parts), 6)))


def _balance(column: str, figures: dict) -> Check | None:
    keys = [f"requests.{row}.{column}" for row in ("new", "carried_over", "total", "carried_forward")]
    if any(k not in figures for k in keys):
        return None
    new, carried_over, total, carried_forward = (figures[k] for k in keys)
    left, right = new + carried_over, total + carried_forward
    ok = abs(left - right) < _TOLERANCE
    detail = (
        f"new {_fmt(new)} + carried_over {_fmt(carried_over)} = {_fmt(left)} "
        f"{'=' if ok else '≠'} total {_fmt(total)} + carried_forward {_fmt(carried_forward)} = {_fmt(right)}"
    )
    return Check(f"balance.{column}", ok, detail)


def equations(figures: dict) -> list[tuple[str, list[str], list[str]]]:
    """Every rule of the schema as (rule, left keys, right keys): the sum of the left
    figures equals the sum of the right ones. The 2021 or 2019 result rows are chosen by
    the figures given."""
    results_rows = RESULT_ROWS_2021 if any(
        k.startswith("requests.other_no_correction.") for k in figures
    ) else RESULT_ROWS_2019
    out = []
    for column in REQUEST_COLUMNS:
        out.append((f"balance.{column}", [f"requests.{row}.{column}" for row in ("new", "carried_over")],
                    [f"requests.{row}.{column}" for row in ("total", "carried_forward")]))
    for column in REQUEST_COLUMNS:
        out.append((f"results.{column}", [f"requests.total.{column}"],
                    [f"requests.{row}.{column}" for row in results_rows]))
    for row in REQUEST_ROWS:
        out.append((f"row_total.{row}", [f"requests.{row}.total"],
                    [f"requests.{row}.{column}" for column in APPLICANT_COLUMNS]))
    for group in APPEAL_GROUPS:
        out.append((f"appeals.{group}", [f"appeals.{group}.total"],
                    [f"appeals.{group}.{cell}" for cell in APPEAL_CELLS[:-1]]))
    return out


def run_checks(figures: dict) -> list[Check]:
    """Every rule of the schema whose numbers are all present, in a stable order."""
    checks: list[Check | None] = []
    for rule, left, right in equations(figures):
        if rule.startswith("balance."):
            checks.append(_balance(rule.split(".", 1)[1], figures))
        else:
            checks.append(_sum_check(rule, figures, left[0], right))
    return [c for c in checks if c is not None]


_TABLE_NAMES = {2: "表二（主动公开政府信息情况）", 3: "表三（收到和处理政府信息公开申请情况）",
                4: "表四（行政复议、行政诉讼情况）"}
_LISTED = 6   # unread keys named in a detail; the rest are counted


def table_checks(reads: dict) -> list[Check]:
    """`tables.<n>` for each printed table: passes when every figure it holds was read (or
    printed as not applicable), fails naming what was not — an unread table never looks
    like an empty one."""
    out = []
    for number, read in sorted(reads.items()):
        if not read.printed:
            continue
        unread = read.unread
        detail = (f"{_TABLE_NAMES[number]}：应有 {len(read.expected)} 个数字，读出 {len(read.figures)} 个"
                  + (f"，{len(read.not_applicable)} 个印为不适用" if read.not_applicable else "")
                  + (f"，{len(read.out_of_range)} 个超出合理范围（10^12 及以上）未记录" if read.out_of_range else ""))
        if unread:
            named = "、".join(key.split(".", 1)[1] for key in unread[:_LISTED])
            detail += f"；未能读出 {len(unread)} 个：{named}" + ("等" if len(unread) > _LISTED else "")
        out.append(Check(f"tables.{number}", not unread, detail))
    return out
