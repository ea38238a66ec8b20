"""Debian's ``redis-server`` on a free loopback port, for the shared rate-limit store.

`RedisServer()` starts one with no persistence (nothing written to disk) and waits
until it answers PING; as a context manager it is stopped (SIGTERM, then SIGKILL)
on the way out, so no test leaves one behind. ``url`` is what
``REPORTS_RATELIMIT_STORAGE_URI`` takes. scripts/test installs redis-server.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time

from reliability.server import free_port
from reliability.stopping import Stopped

START_SECONDS = 10.0


class RedisServer(Stopped):
    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (scripts/test installs Debian's redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer within {START_SECONDS} s")
