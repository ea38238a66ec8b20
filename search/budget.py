"""How much work one search may do: a CPU budget checked between its steps.

A public site cannot let one request occupy a worker thread for a minute. A search
is given a `Budget` of CPU seconds (the thread's own CPU time, so time spent waiting
for the GIL or the disk is not charged) and checks it between steps: each term's
matching sections, the excluded terms, ranking, each displayed hit. When the budget
is spent the search stops and answers with what it has, marked partial (the page's
hits are still checked verbatim against their text, so every hit shown is a true
hit; the total and the order may be incomplete). When it has nothing yet to show,
it raises `BudgetSpent` and the site answers 503 with Retry-After.

A `gate` lets the caller ration long searches: once a search has spent
`gate_after` seconds it asks the gate (once) whether it may go on — e.g. a
semaphore of "slow lane" slots held until the request ends. A refused search stops
at once with `Busy` (the site sheds it: 503 with Retry-After), spending nothing more,
so a few slow requests cannot take every thread and core from the cheap ones.

API: `Budget(seconds, gate=None, gate_after=…)` (``spent()``, ``check()``, ``cut()``,
``partial``; ``Budget(None)`` has no limit), `BudgetSpent`, `Busy`, and the sentences `PARTIAL`
(a search), `PARTIAL_ROWS` (a comparison), `SPENT` and `BUSY` the site shows.
"""
from __future__ import annotations

import time
from typing import Callable

# What the reader is told (the API sends the same sentence).
PARTIAL = "检索耗时超出限制，以下只是部分结果：总数和排序可能不完整，请缩小检索范围或减少排除词。"
PARTIAL_ROWS = "对比耗时超出限制，下表只列出部分报告：总数和排序可能不完整，请选择地区或年度缩小范围。"
BUSY = "检索服务繁忙，这次检索未能完成，请稍后再试。"
SPENT = "这次检索超出了计算时限，未能得到结果；请缩小检索范围或减少排除词后再试。"


class BudgetSpent(Exception):
    """The search spent its budget (or was refused a slow-lane slot) with nothing to show."""

    def __init__(self, message: str = SPENT):
        super().__init__(message)
        self.message = message


class Busy(BudgetSpent):
    """The gate refused the search a slow-lane slot: stop now, whatever was found."""

    def __init__(self):
        super().__init__(BUSY)


class Budget:
    """CPU seconds a search may spend; `spent()` is cheap enough to call per hit."""

    def __init__(self, seconds: float | None, gate: Callable[[], bool] | None = None,
                 gate_after: float = 0.05, clock: Callable[[], float] = time.thread_time):
        self.seconds, self.gate, self.gate_after, self.clock = seconds, gate, gate_after, clock
        self.started = clock()
        self.partial = False        # set once a step was skipped or cut short
        self._asked = False

    def used(self) -> float:
        return self.clock() - self.started

    def spent(self) -> bool:
        """Whether the budget is used up. :raise Busy: when the gate says no."""
        if self.seconds is None and self.gate is None:
            return False
        used = self.used()
        if self.gate is not None and not self._asked and used >= self.gate_after:
            self._asked = True
            if not self.gate():
                raise Busy()
        return self.seconds is not None and used >= self.seconds

    def check(self) -> None:
        """Raise `BudgetSpent` when spent (for steps without which there is no answer)."""
        if self.spent():
            raise BudgetSpent(SPENT)

    def cut(self) -> bool:
        """`spent()`, remembering that the answer is now partial when it is."""
        if self.spent():
            self.partial = True
            return True
        return False
