"""The index's write lock (index/lock.py): who holds it is written down, a second writer
waits saying for whom and gives up in time, and only the process that took it holds it."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest

from index.lock import Holder, IndexLocked, holder_of, process_started, write_lock
from reliability.server import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_the_holder_writes_who_it_is_and_clears_it_after(tmp_path):
    with write_lock(tmp_path, "remove"):
        holder = holder_of(tmp_path)
        with write_lock(tmp_path, "remove"):     # the same thread may take it again
            assert holder_of(tmp_path) == holder
    assert (holder.pid, holder.what) == (os.getpid(), "remove")
    assert holder.started == process_started(os.getpid()) and holder.running()
    assert "pytest" in holder.command
    assert holder_of(tmp_path) is None


@contextmanager
def held_by_another_thread(root, what: str = "build"):
    """The write lock of `root` held by another thread of this process for the block."""
    taken, release = threading.Event(), threading.Event()

    def hold():
        with write_lock(root, what):
            taken.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(60)
    try:
        yield
    finally:
        release.set()
        holder.join()


def test_another_writer_waits_says_for_whom_once_and_gives_up(tmp_path):
    said = []
    started = time.monotonic()
    with held_by_another_thread(tmp_path):
        with pytest.raises(IndexLocked) as refused:
            with write_lock(tmp_path, "add", wait=0.6, say=said.append):
                pass
    waited = time.monotonic() - started
    who = f"the build by process {os.getpid()} (started at "
    assert len(said) == 1 and said[0].startswith("waiting for " + who), said
    assert said[0].endswith("to finish; giving up after 0.6 s (REPORTS_LOCK_WAIT_SECONDS)")
    assert str(refused.value).startswith(f"The index under {tmp_path} is still locked by {who}")
    assert str(refused.value).endswith("gave up after waiting 0.6 s (REPORTS_LOCK_WAIT_SECONDS). "
                                       "Nothing was changed.")
    assert waited >= 0.6
    with write_lock(tmp_path, "add", wait=0):   # free again
        pass


def test_the_wait_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTS_LOCK_WAIT_SECONDS", "0.2")
    with held_by_another_thread(tmp_path):
        with pytest.raises(IndexLocked, match="gave up after waiting 0.2 s"):
            with write_lock(tmp_path, "add", say=lambda line: None):
                pass


def test_a_child_forked_under_the_lock_does_not_keep_it_when_its_parent_dies(tmp_path):
    # The parent takes the lock, forks a child that lives on, and dies without unlocking
    # (as under SIGKILL): the lock goes with it, the child notwithstanding.
    code = ("import os, sys, time\nfrom index.lock import write_lock\n"
            f"with write_lock({str(tmp_path)!r}, 'build'):\n"
            "    child = os.fork()\n"
            "    if child == 0:\n"
            "        os.close(1), os.close(2)\n"
            "        time.sleep(60)\n"
            "        os._exit(0)\n"
            "    print(child, flush=True)\n"
            "    os._exit(0)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=60)
    child = int(done.stdout)
    try:
        assert process_started(child) is not None          # the child lives …
        dead = holder_of(tmp_path)
        assert dead is not None and not dead.running()     # … its parent does not
        with write_lock(tmp_path, "add", wait=0):          # and the lock is free
            pass
    finally:
        os.kill(child, 9)


def test_a_reused_pid_is_not_taken_for_the_holder():
    me = Holder.of_this_process("build")
    assert me.running()
    assert not Holder(me.pid, me.started - 3600, me.command, "build").running()
