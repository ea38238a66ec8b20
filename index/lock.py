"""The index's write lock: one writer at a time on an index root, and who it is.

Every command that changes an index root — ``build``, ``add``, ``remove``,
``activate``, ``bigrams`` — holds this lock from before it reads what it will change
(the live generation, ``added/``, ``removed.json``) until its new generation is swapped
in, so commands take effect one after the other and none undoes another's work.
Readers (the site) never take it. The OpenSearch build's writers take the same lock
on a folder of their alias's instead of an index root (`index.opensearch.build.lock_root`).

The lock is an `fcntl.flock` on ``<root>/.lock``: the kernel drops it when its holder
dies, however it dies. The holder writes who it is into the file — process id, when
the process started, its command line, what it does — so a command that finds the
lock taken can say what it waits for::

    waiting for the build by process 4242 (started at 2026-12-07 10:15:00:
    python -m index build --corpus …) to finish; giving up after 3600 s

and gives up after ``LOCK_WAIT_SECONDS`` (config/settings.py) with `IndexLocked`
(the command line exits with status 1, nothing changed). Only the process that took
the lock holds it: a forked child closes its inherited copy first thing (an
`os.register_at_fork` hook), so a child outliving its parent cannot keep the index
locked. Should the lock still be held once its recorded holder is gone (a process of
older code, or one that is not ours), the processes holding the file open are named
instead of waiting for them: "the index is locked by process N, started at …, which is
no longer running: …".

A thread that holds the lock may take it again (nested blocks share it); another
thread of the same process waits like another process would.

API: `write_lock(root, what, wait=None, say=None)`, `Holder`, `holder_of(root)`,
`IndexLocked`, `LOCK`.
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from config.settings import ENV_PREFIX, current

LOCK = ".lock"
POLL_SECONDS = 0.2
# How long the processes holding a dead holder's lock get to go away (children dying
# with their parent) before they are named and the command gives up.
ORPHAN_SECONDS = 5.0
SETTING = ENV_PREFIX + "LOCK_WAIT_SECONDS"     # the setting lock_wait_seconds


class IndexLocked(Exception):
    """The write lock could not be had; the message says who holds it. Nothing was changed."""


# --- who holds it ----------------------------------------------------------------------

def _boot_time() -> float:
    with open("/proc/stat") as stat:
        return next(float(line.split()[1]) for line in stat if line.startswith("btime "))


def process_started(pid: int) -> float | None:
    """When process `pid` started (seconds since the epoch), None when it is not running."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] == "Z":
        return None     # a zombie: dead, waiting to be reaped
    return _boot_time() + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def command_line(pid: int) -> str:
    """The command line of process `pid` ("" when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock, as it wrote itself into the lock file."""

    pid: int
    started: float      # when its process started, seconds since the epoch
    command: str        # its command line
    what: str           # build, add, remove, activate, bigrams

    def running(self) -> bool:
        """True while the holder's process runs (the same process: a reused pid started later)."""
        started = process_started(self.pid)
        return started is not None and abs(started - self.started) < 2.0

    def describe(self) -> str:
        return (f"the {self.what} by process {self.pid} (started at {_when(self.started)}: "
                f"{self.command or 'command line unknown'})")

    @classmethod
    def of_this_process(cls, what: str) -> "Holder":
        pid = os.getpid()
        return cls(pid, process_started(pid) or time.time(), command_line(pid) or sys.argv[0], what)


def holder_of(root: Path) -> Holder | None:
    """The holder recorded in the lock file of `root` (None when none is recorded)."""
    try:
        return Holder(**json.loads((Path(root) / LOCK).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _openers(path: Path) -> list[int]:
    """The processes that have `path` open (those /proc lets us see), this one left out."""
    try:
        target = os.stat(path)
    except OSError:
        return []
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                opened = os.stat(f"/proc/{entry}/fd/{fd}")
                if (opened.st_dev, opened.st_ino) == (target.st_dev, target.st_ino):
                    found.append(int(entry))
                    break
        except OSError:
            continue
    return sorted(found)


def _orphaned(root: Path, holder: Holder, openers: list[int]) -> IndexLocked:
    named = "; ".join(f"process {pid} ({command_line(pid) or 'command line unknown'})" for pid in openers)
    left = (f"{named} still {'holds' if len(openers) == 1 else 'hold'} the lock file open. Stop "
            f"{'it' if len(openers) == 1 else 'them'} (kill {' '.join(map(str, openers))}) and run the "
            "command again" if openers else "no process we can see holds the lock file open")
    return IndexLocked(f"The index under {root} is locked by process {holder.pid}, started at "
                       f"{_when(holder.started)}, which is no longer running: {left}. Nothing was changed.")


# --- taking it -------------------------------------------------------------------------

# The locks this process holds: (thread id, root) -> [file descriptor, depth].
_held: dict[tuple[int, str], list[int]] = {}


def _forget_in_child() -> None:
    """In a forked child: close the inherited lock descriptors (the lock stays its parent's)."""
    for fd, _ in list(_held.values()):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _acquire(root: Path, fd: int, wait: float, say) -> None:
    """Take the lock on `fd`, waiting at most `wait` seconds. :raise IndexLocked:"""
    started = time.monotonic()
    announced = None
    gone_since = unknown_since = None
    while not _try(fd):
        now = time.monotonic()
        holder = holder_of(root)
        if holder is None:
            # Between a holder's taking the lock and writing its record, or a holder of
            # older code that writes none: name the processes holding the file if it lasts.
            unknown_since = unknown_since or now
            if now - unknown_since >= 1.0 and announced is None:
                openers = ", ".join(map(str, _openers(root / LOCK))) or "unknown"
                say(f"waiting for another process ({openers}) to finish; giving up after {wait:g} s ({SETTING})")
                announced = "unknown"
        elif not holder.running():
            # Its holder is gone, so whoever still holds the lock is not about to finish.
            gone_since = gone_since or now
            if now - gone_since >= ORPHAN_SECONDS:
                raise _orphaned(root, holder, _openers(root / LOCK))
        else:
            gone_since = unknown_since = None
            if holder != announced:
                say(f"waiting for {holder.describe()} to finish; giving up after {wait:g} s ({SETTING})")
                announced = holder
        if now - started >= wait:
            who = holder.describe() if holder else "another process"
            raise IndexLocked(f"The index under {root} is still locked by {who}; gave up after waiting "
                              f"{wait:g} s ({SETTING}). Nothing was changed.")
        time.sleep(POLL_SECONDS)


@contextmanager
def write_lock(root: str | Path, what: str = "change", wait: float | None = None, say=None):
    """Hold the write lock of `root` for the block, as the `what` (build, add, remove …).

    Waits at most `wait` seconds (default: the ``lock_wait_seconds`` setting) for
    another holder, saying once per holder what it waits for through `say` (default:
    a line on stderr).

    :raise IndexLocked: when the wait runs out, or the lock is held for a holder that
        no longer runs; nothing was changed.
    """
    root = Path(root)
    key = (threading.get_ident(), str(root.resolve()))
    if key in _held:
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(root, fd, current().lock_wait_seconds if wait is None else wait, say or _say)
        record = json.dumps(asdict(Holder.of_this_process(what)), ensure_ascii=False).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
        _held[key] = [fd, 1]
        try:
            yield
        finally:
            del _held[key]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
