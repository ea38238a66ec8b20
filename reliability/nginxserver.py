"""Debian's nginx in front of a gunicorn, on a free loopback port, with the shipped
configuration (deploy/nginx.conf); always stopped.

`Nginx(upstream_port)` renders the configuration into a fresh folder (readable by
the ``nobody`` user nginx's workers run as when started by root), starts nginx in the
foreground and waits until it accepts connections; as a context manager it is stopped
(SIGTERM, then SIGKILL) on the way out and its folder removed. scripts/test installs
Debian's nginx.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from deploy import nginx
from reliability.server import free_port
from reliability.stopping import Stopped

START_SECONDS = 15.0


class Nginx(Stopped):
    def __init__(self, upstream_port: int):
        if nginx.binary() is None:
            raise RuntimeError("nginx is not installed (scripts/test installs Debian's nginx)")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="nginx-"))
        os.chmod(self.folder, 0o755)
        nginx.write(f"127.0.0.1:{self.port}", f"127.0.0.1:{upstream_port}", self.folder)
        self.process = subprocess.Popen(nginx.command(self.folder), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.error_log()
                self.stop()
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {START_SECONDS} s")

    def error_log(self) -> str:
        try:
            return (self.folder / "error.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.folder, ignore_errors=True)
