"""A node's JVM as a process: its pidfile, whether it still runs, and how it is ended.

Each node is started in a session of its own (``start_new_session``), so its process id
is also its process group's, and signals go to the group: the launcher script's helper
JVMs during start-up go with it. The pid is written to ``node.pid`` in the node's folder;
a pid is taken as the node's only while /proc says that process's command line carries
the node's marker (its ``-Epath.data=...`` argument), so a stale pidfile whose number
the kernel gave to another process never gets that process killed.

`die_with_parent` (Linux's PR_SET_PDEATHSIG) makes the kernel SIGKILL a node when the
process that started it dies, however it dies — used for nodes a test run starts, so a
killed pytest leaves no JVM behind. A node started by ``scripts/opensearch start`` must
outlive that command, so it does without; its pidfile lets ``stop`` find it later, and
a later start finds and ends a node the pidfile says is still running.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.1
CMDLINE_TRIES = 5


def die_with_parent() -> None:
    """Run in the child between fork and exec: SIGKILL me when my parent dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def read_pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


def carries(pid: int, marker: str) -> bool:
    """Whether process `pid` is alive (not a zombie) and has `marker` among its arguments.
    A live process whose command line reads empty is in the middle of an exec (the
    launcher script becoming the JVM): it is read again a few times before it counts."""
    for _ in range(CMDLINE_TRIES):
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                state = stat.read().rsplit(b")", 1)[1].split()[0]
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                arguments = cmdline.read()
        except (OSError, IndexError):
            return False
        if state == b"Z":
            return False
        if arguments:
            return marker.encode() in arguments.split(b"\0")
        time.sleep(POLL_SECONDS / 10)
    return False


def running_pid(pidfile: Path, marker: str) -> int | None:
    """The pid in `pidfile` if that process is still the node it names; else None."""
    pid = read_pid(pidfile)
    return pid if pid is not None and carries(pid, marker) else None


def signal_group(pid: int, signum: int) -> None:
    """Send `signum` to the node's process group (its pid), ignoring one already gone."""
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


def wait_gone(pid: int, marker: str, timeout: float, child: subprocess.Popen | None = None) -> bool:
    """Wait until the node's process has exited (reaping it if it is our child)."""
    deadline = time.monotonic() + timeout
    while True:
        if child is not None and child.pid == pid:
            try:
                child.wait(timeout=POLL_SECONDS)
                return True
            except subprocess.TimeoutExpired:
                pass
        elif not carries(pid, marker):
            return True
        else:
            time.sleep(POLL_SECONDS)
        if time.monotonic() >= deadline:
            return not carries(pid, marker)


def end(pid: int, marker: str, grace: float, child: subprocess.Popen | None = None) -> str:
    """SIGTERM the node's group, SIGKILL it if it has not exited after `grace` seconds.
    Returns how it ended: "stopped" or "killed"."""
    signal_group(pid, signal.SIGTERM)
    if wait_gone(pid, marker, grace, child):
        return "stopped"
    return kill(pid, marker, child)


def kill(pid: int, marker: str, child: subprocess.Popen | None = None) -> str:
    """SIGKILL the node's group and wait for the kernel to take it down."""
    signal_group(pid, signal.SIGKILL)
    wait_gone(pid, marker, 30.0, child)
    return "killed"
