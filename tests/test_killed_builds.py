"""Builds killed half-way, with real processes: no child outlives them, the next command
goes ahead (or says plainly why it cannot), and nothing half-written stays behind.

A build is started as ``python -m index build`` in a session of its own (so whatever
it leaves can be found, by session id, in /proc, and cleaned up by the test), then:

- killed with SIGKILL, as the kernel's OOM killer does, while it parses and while
  whoosh's sub-writers write: within `SETTLE_SECONDS` no process of its session may be
  left, and an ``index add`` must finish, deleting the partial generation;
- stopped with SIGTERM: it exits with status 143 saying so, leaving no partial
  generation and no child;
- a command finding the lock held waits, saying for whom, and gives up after
  ``REPORTS_LOCK_WAIT_SECONDS`` with exit status 1; a lock held after its recorded
  holder died is reported with the processes holding it.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import store
from index.lock import LOCK
from reliability.server import PROJECT_ROOT
from reliability.writes import new_report, served_ids

pytestmark = pytest.mark.reliability

REPORTS = 60            # past index.writing.PARALLEL_WRITE_MIN_REPORTS: whoosh's sub-writers run
SETTLE_SECONDS = 10.0   # children get this long to die after their parent (they need milliseconds)
COMMAND_SECONDS = 300.0


def session_processes(sid: int) -> list[int]:
    """The processes of session `sid` still running (zombies left out)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry))
    return sorted(found)


def children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(x) for x in listing.read().split()]
    except OSError:
        return []


def index_command(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "index", *argv], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=COMMAND_SECONDS, env={**os.environ, **(env or {})})


def start_build(corpus: Path, root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "index", "build", "--corpus", str(corpus), "--index", str(root),
                             "--workers", "2", "--quiet"], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition, process: subprocess.Popen, what: str, seconds: float = COMMAND_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"the build ended before {what}"
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.02)


def new_generations(root: Path, before: set[str]) -> list[str]:
    return sorted({p.name for p in store.generations_dir(root).iterdir()} - before)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("killed") / "corpus"
    subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(REPORTS), "--out", str(folder),
                    "--seed", "3"], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, timeout=300)
    return folder


@pytest.fixture
def root(corpus, tmp_path) -> Path:
    root = tmp_path / "index"
    assert index_command("build", "--corpus", str(corpus), "--index", str(root), "--quiet").returncode == 0
    return root


def _when_writing(root: Path, build: subprocess.Popen, live: set[str]):
    """True once the build writes its new generation with whoosh's sub-writers running."""
    def writing() -> bool:
        fresh = new_generations(root, live)
        return bool(fresh) and any((store.generation_dir(root, fresh[0]) / store.INDEX_DIR).glob("*.toc")) \
            and len(children_of(build.pid)) >= 2
    return writing


def _when_parsing(root: Path, build: subprocess.Popen, live: set[str]):
    """True while the build parses: its pool's children run, no generation written yet."""
    return lambda: not new_generations(root, live) and len(children_of(build.pid)) >= 1


@pytest.mark.parametrize("moment", ["parsing", "writing"])
def test_a_build_killed_with_sigkill_leaves_no_process_and_the_next_command_proceeds(corpus, root, tmp_path,
                                                                                     moment):
    live = {p.name for p in store.generations_dir(root).iterdir()}
    served = served_ids(root)
    build = start_build(corpus, root)
    try:
        wait_for((_when_writing if moment == "writing" else _when_parsing)(root, build, live), build, moment)
        children = children_of(build.pid)
        os.kill(build.pid, signal.SIGKILL)          # the parent only, as the OOM killer does
        build.wait(timeout=30)
        killed = time.monotonic()
        while session_processes(build.pid) and time.monotonic() - killed < SETTLE_SECONDS:
            time.sleep(0.05)
        left = session_processes(build.pid)
        settled = time.monotonic() - killed
        added, added_id = new_report(tmp_path, 1)
        started = time.monotonic()
        after = index_command("add", str(added), "--index", str(root), "--quiet",
                              env={"REPORTS_LOCK_WAIT_SECONDS": "60"})
        print({"moment": moment, "children_at_kill": len(children), "children_gone_after_s": round(settled, 2),
               "add_after_s": round(time.monotonic() - started, 1), "add_status": after.returncode})
    finally:
        for pid in session_processes(build.pid):
            os.kill(pid, signal.SIGKILL)
        build.stderr.close()
    assert children and left == [], f"{len(left)} of the build's {len(children)} children outlived it"
    assert after.returncode == 0, after.stderr
    assert served_ids(root) == served | {added_id}
    # What the killed build had begun to write is gone; the add's generation is live.
    assert store.current_generation(root) not in live
    assert {p.name for p in store.generations_dir(root).iterdir()} == live | {store.current_generation(root)}


def test_a_build_stopped_with_sigterm_exits_143_and_leaves_nothing_behind(corpus, root):
    live = {p.name for p in store.generations_dir(root).iterdir()}
    generation = store.current_generation(root)
    build = start_build(corpus, root)
    try:
        wait_for(_when_writing(root, build, live), build, "the writing")
        children = children_of(build.pid)
        build.send_signal(signal.SIGTERM)
        status = build.wait(timeout=COMMAND_SECONDS)
        stderr = build.stderr.read()
        left = session_processes(build.pid)
    finally:
        for pid in session_processes(build.pid):
            os.kill(pid, signal.SIGKILL)
        build.stderr.close()
    assert children and left == []
    assert status == 143, stderr
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr, stderr
    assert store.current_generation(root) == generation
    assert {p.name for p in store.generations_dir(root).iterdir()} == live


def hold_lock(root: Path, what: str = "build") -> subprocess.Popen:
    """Another process holding the write lock of `root` until killed (it says when it has it)."""
    code = ("import sys, time\nfrom index.lock import write_lock\n"
            f"with write_lock({str(root)!r}, {what!r}):\n    print('held', flush=True)\n    time.sleep(600)\n")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_command_finding_the_lock_held_says_for_whom_it_waits_and_gives_up(root, tmp_path):
    holder = hold_lock(root)
    try:
        added, _ = new_report(tmp_path, 2)
        before = served_ids(root)
        waited = index_command("add", str(added), "--index", str(root), "--quiet",
                               env={"REPORTS_LOCK_WAIT_SECONDS": "2"})
        record = json.loads((root / LOCK).read_text(encoding="utf-8"))
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert waited.returncode == 1
    assert f"waiting for the build by process {holder.pid} (started at " in waited.stderr
    assert f"gave up after waiting 2 s (REPORTS_LOCK_WAIT_SECONDS). Nothing was changed." in waited.stderr
    assert (record["pid"], record["what"]) == (holder.pid, "build") and "write_lock" in record["command"]
    assert served_ids(root) == before
    # Its holder dead, the lock is free at once.
    assert index_command("add", str(added), "--index", str(root), "--quiet").returncode == 0


def test_a_lock_held_for_a_holder_that_no_longer_runs_names_who_holds_it(root, tmp_path):
    # A holder (older code, say) that leaves a child with its lock's descriptor and dies.
    code = ("import fcntl, json, os, subprocess, sys, time\n"
            f"fd = os.open({str(root / LOCK)!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "from index.lock import Holder\nfrom dataclasses import asdict\n"
            "os.write(fd, json.dumps(asdict(Holder.of_this_process('build'))).encode())\n"
            "child = subprocess.Popen(['sleep', '600'], pass_fds=[fd], stdout=subprocess.DEVNULL,\n"
            "                         stderr=subprocess.DEVNULL)\n"
            "print(child.pid, flush=True)\n")
    dead = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=60)
    orphan = int(dead.stdout.strip())
    try:
        refused = index_command("remove", "白露县水务局-2022", "--index", str(root))
    finally:
        os.kill(orphan, signal.SIGKILL)
    assert refused.returncode == 1
    assert "is locked by process" in refused.stderr and "which is no longer running" in refused.stderr
    assert f"process {orphan} (sleep 600) still holds the lock file open" in refused.stderr
    assert f"kill {orphan}" in refused.stderr
