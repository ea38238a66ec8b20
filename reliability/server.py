"""gunicorn serving the site on loopback, for the reliability scenarios; always stopped.

`Gunicorn(index_root, **settings)` starts ``gunicorn -c web/gunicorn.conf.py
'web:create_app()'`` on 127.0.0.1 and a free port, with a fresh secret and any
``REPORTS_*`` settings given (e.g. ``RATELIMIT_APPLICATION="30 per minute"``). Use it as a
context manager: the master gets SIGTERM on the way out, SIGKILL if it lingers, so no
test leaves a server behind. Worker ids, memory and CPU time come from /proc (Linux).
"""
from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60.0
STOP_SECONDS = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")   # utime, stime


def children(pid: int) -> list[int]:
    """Direct children of `pid`."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found += [int(x) for x in listing.read().split()]
        except OSError:
            continue
    return sorted(set(found))


class Gunicorn:
    """The site under gunicorn on 127.0.0.1:<free port>."""

    def __init__(self, index_root: str | Path, log: str | Path, workers: int = 2, **settings):
        self.port = free_port()
        self.log_path = Path(log)
        env = dict(os.environ)
        env.update({f"REPORTS_{name}": str(value) for name, value in settings.items()})
        env.update(REPORTS_BIND=f"127.0.0.1:{self.port}", REPORTS_INDEX_PATH=str(index_root),
                   REPORTS_WORKERS=str(workers), REPORTS_SECRET_KEY=secrets.token_hex(32))
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "web/gunicorn.conf.py",
             "--access-logfile", "/dev/null", "web:create_app()"],
            cwd=PROJECT_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        return self.process.pid

    def get(self, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait_ready(self, path: str = "/api/agencies", workers: int | None = None) -> float:
        """Seconds until `path` answers 200 (and `workers` workers run); raise if it never does."""
        started = time.monotonic()
        while time.monotonic() - started < START_SECONDS:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if self.get(path, timeout=10)[0] == 200 and (
                        workers is None or len(self.workers()) >= workers):
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer {path} within {START_SECONDS} s:\n{self.log_tail()}")

    def workers(self) -> list[int]:
        return children(self.pid)

    def worker_rss_mb(self) -> list[float]:
        return [rss_mb(pid) for pid in self.workers()]

    def log_tail(self, chars: int = 3000) -> str:
        self._log.flush()
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_SECONDS)
        self._log.close()
