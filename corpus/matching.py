"""Which run of numbers belongs to which row label, when the text alone must say.

PDF text extractors put a row's numbers before its label, after it, or between the two
halves of a wrapped label, row by row as the page's layout fell. Each label may only
take a run next to it (its candidates, chosen by `corpus.rows`), and neighbouring
labels compete for the runs between them. Of all the ways to give labels runs, the
ones that read the most rows are found by dynamic programming, and a label gets a run
only when every one of those ways gives it the same run: the layout proves it.
Elsewhere the label stays unread rather than guessed.
"""
from __future__ import annotations

Run = tuple[int, ...]


def forced(candidates: list[list[Run]]) -> dict[int, Run]:
    """Label index -> its run, for the labels every best assignment agrees on.

    `candidates[j]` are the runs label j may take; a run may be a candidate of two
    neighbouring labels, never of labels further apart.
    """
    n = len(candidates)

    def options(j: int, taken: Run | None) -> list[Run | None]:
        return [None] + [run for run in candidates[j] if run != taken]

    # best_after[j][taken]: most rows read from label j on, when label j-1 took `taken`.
    best_after: list[dict] = [dict() for _ in range(n + 1)]
    states: list[set] = [{None}] + [set(candidates[j]) | {None} for j in range(n)]
    for taken in states[n]:
        best_after[n][taken] = 0
    for j in range(n - 1, -1, -1):
        for taken in states[j]:
            best_after[j][taken] = max((run is not None) + best_after[j + 1][run] for run in options(j, taken))
    best_before: list[dict] = [dict() for _ in range(n + 1)]
    best_before[0][None] = 0
    for j in range(n):
        for taken, score in best_before[j].items():
            for run in options(j, taken):
                value = score + (run is not None)
                if value > best_before[j + 1].get(run, -1):
                    best_before[j + 1][run] = value
    best = best_after[0][None]
    out: dict[int, Run] = {}
    for j in range(n):
        chosen = set()
        for taken, score in best_before[j].items():
            if score + best_after[j][taken] != best:
                continue   # no best assignment passes through this state
            for run in options(j, taken):
                if (run is not None) + best_after[j + 1][run] == best_after[j][taken]:
                    chosen.add(run)
        if len(chosen) == 1 and None not in chosen:
            out[j] = next(iter(chosen))
    return out
