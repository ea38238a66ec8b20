"""A server process a scenario starts and must stop: `Stopped` is its context manager.

A subclass sets ``self.process`` (a `subprocess.Popen`); leaving the ``with`` block,
or calling `stop()`, sends SIGTERM, waits, then SIGKILL if it lingers — so no test
leaves a server behind, whatever happened inside.
"""
from __future__ import annotations

import subprocess

STOP_SECONDS = 10.0


class Stopped:
    process: subprocess.Popen

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_SECONDS)
