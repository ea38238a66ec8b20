"""Which run of numbers belongs to which row label, when the text alone must say.

PDF text extractors put a row's numbers before its label, after it, or between the two
halves of a wrapped label, row by row as the page's layout fell. Each label can only
take a run next to it: the last run before it or the first run after it. Of all the
ways to give labels such runs, the ones that read the most rows are found by dynamic
programming, and a label gets a run only when every one of those ways gives it the
same run: the layout proves it. Elsewhere the label stays unread rather than guessed.
"""
from __future__ import annotations

from typing import Callable

Run = list[int]


def forced(segments: list[list[Run]], fits: Callable[[int, Run], bool],
           fixed: dict[int, Run], beside: Callable[[int, Run], bool] = lambda j, run: False) -> dict[int, Run]:
    """Label index -> its run, for the labels every best assignment agrees on.

    `segments[j]` are the runs printed between label j-1 and label j (`segments[0]`
    before the first label, the last after the last label); `fits(j, run)` says
    whether a run has label j's width; `beside(j, run)` whether it is printed on the
    same line as label j, which makes it the label's only choice; `fixed` labels
    already have their run (read as a block) and those runs are not offered to others.
    """
    n = len(segments) - 1
    taken = {tuple(run) for run in fixed.values()}

    def usable(j: int, run: Run | None) -> bool:
        return run is not None and tuple(run) not in taken and fits(j, run)

    before = [segments[j][-1] if segments[j] else None for j in range(n)]
    after = [segments[j + 1][0] if segments[j + 1] else None for j in range(n)]
    shared = [len(segments[j + 1]) == 1 for j in range(n)]   # label j's next is label j+1's previous

    def options(j: int, used: int) -> list[tuple[Run | None, int, int]]:
        """(run, rows read, whether the next label's previous run is used)."""
        if j in fixed:
            return [(fixed[j], 1, 0)]
        if usable(j, after[j]) and beside(j, after[j]):
            return [(after[j], 1, int(shared[j]))]
        if usable(j, before[j]) and beside(j, before[j]) and not used:
            return [(before[j], 1, 0)]
        out: list[tuple[Run | None, int, int]] = [(None, 0, 0)]
        if usable(j, before[j]) and not used:
            out.append((before[j], 1, 0))
        if usable(j, after[j]):
            out.append((after[j], 1, int(shared[j])))
        return out

    best_after = [[0, 0] for _ in range(n + 1)]   # most rows read from label j on, per state
    for j in range(n - 1, -1, -1):
        for used in (0, 1):
            best_after[j][used] = max(gain + best_after[j + 1][nxt] for _, gain, nxt in options(j, used))
    best_before: list[list[int | None]] = [[None, None] for _ in range(n + 1)]
    best_before[0][0] = 0
    for j in range(n):
        for used in (0, 1):
            if best_before[j][used] is None:
                continue
            for _, gain, nxt in options(j, used):
                value = best_before[j][used] + gain
                if best_before[j + 1][nxt] is None or value > best_before[j + 1][nxt]:
                    best_before[j + 1][nxt] = value
    best = best_after[0][0]
    out: dict[int, Run] = {}
    for j in range(n):
        chosen = set()
        for used in (0, 1):
            if best_before[j][used] is None or best_before[j][used] + best_after[j][used] != best:
                continue   # no best assignment passes through this state
            for run, gain, nxt in options(j, used):
                if gain + best_after[j + 1][nxt] == best_after[j][used]:
                    chosen.add(tuple(run) if run is not None else None)
        if len(chosen) == 1 and None not in chosen:
            out[j] = list(next(iter(chosen)))
    return out
