"""What the benchmark measures with: latency samples, child processes and their memory.

`Latency` keeps one phase's samples (seconds) and reports nearest-rank percentiles in
milliseconds; `run_child` runs a build to completion while sampling the RSS of its
whole process tree (a parallel build's workers are its children).
"""
from __future__ import annotations

import math
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Latency:
    samples: list[float] = field(default_factory=list)   # seconds
    errors: int = 0
    wall: float = 0.0

    def pct(self, p: float) -> float:
        """The p-th percentile in milliseconds (nearest rank), NaN without samples."""
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
        return ordered[rank - 1] * 1000

    @property
    def rate(self) -> float:
        return len(self.samples) / self.wall if self.wall else float("nan")


    @property
    def worst(self) -> float:
        """The slowest sample in milliseconds, NaN without samples."""
        return max(self.samples) * 1000 if self.samples else float("nan")


# ---- processes and memory ------------------------------------------------------------

def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc/<pid>/task/*/children."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    found += [int(x) for x in f.read().split()]
            except OSError:
                continue
    except OSError:
        pass
    return found


def tree(pid: int) -> list[int]:
    pids, frontier = [pid], [pid]
    for _ in range(8):      # bounded depth: python -> pool workers is two levels
        frontier = [c for p in frontier for c in children(p)]
        if not frontier:
            break
        pids += frontier
    return pids


@dataclass
class ChildRun:
    seconds: float
    maxrss_mb: float        # ru_maxrss of the child (largest single process of its tree)
    peak_tree_mb: float     # largest sampled sum of RSS over the child's tree
    returncode: int
    stdout: str


def run_child(argv: list[str], timeout: float, env=None) -> ChildRun:
    """Run a child to completion, sampling its tree's RSS; bounded by `timeout`."""
    started = time.perf_counter()
    out = tempfile.TemporaryFile()
    process = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    status = usage = None
    try:
        while time.perf_counter() - started < timeout:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, sum(rss_kb(p) for p in tree(process.pid)))
            time.sleep(0.05)
        else:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            raise RuntimeError(f"{' '.join(argv[:4])} … took longer than {timeout} s")
    finally:
        process.returncode = 0 if status is None else os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    out.seek(0)
    text = out.read().decode(errors="replace")
    out.close()
    maxrss_kb = usage.ru_maxrss
    # A child quicker than the sampling interval is never sampled: its tree peak is
    # at least its own peak.
    return ChildRun(seconds, maxrss_kb / 1024, max(peak, maxrss_kb) / 1024, process.returncode, text)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink())



def main(argv=None) -> int:
    """``python -m bench.measure COMMAND…``: run a command (e.g. a build) to completion and
    print its seconds, its largest process's peak RSS and its process tree's sampled peak."""
    import sys

    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(main.__doc__, file=sys.stderr)
        return 2
    run = run_child(argv, 24 * 3600)
    print(f"exit {run.returncode}; {run.seconds:.1f} s; largest process {run.maxrss_mb:.0f} MB; "
          f"process tree (sampled every 50 ms) {run.peak_tree_mb:.0f} MB")
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
