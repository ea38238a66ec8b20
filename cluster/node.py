"""One local OpenSearch node: its folder, its JVM, start, stop, kill and its log.

A node lives in a folder of its own::

    <folder>/config/   opensearch.yml, jvm.options, log4j2.properties (cluster.settings)
    <folder>/data/     its shards and cluster state (kept across stop and start)
    <folder>/logs/     console.log (what the JVM prints), <cluster>.log, gc.log
    <folder>/tmp/      the JVM's temporary files
    <folder>/node.pid  the running JVM's pid (cluster.process)

`Node.start()` writes the config, starts ``bin/opensearch`` from the distribution
(cluster.distribution) on the machine's Java (cluster.java) as the right user
(cluster.account) in a process group of its own, and returns at once; the cluster
(cluster.cluster) waits for health. `stop()` is SIGTERM then SIGKILL after a grace
period, `kill()` is SIGKILL at once (a crash, for failover tests); both wait until the
process is gone. A node found running from an earlier start (its pidfile) is reused
or ended by the caller — never started twice on one folder.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cluster import process
from cluster.account import Account, check_reachable, hand_over
from cluster.errors import ClusterError
from cluster.settings import ClusterSpec, NodeSpec, write_config

STOP_GRACE_SECONDS = 30.0
LOG_TAIL_LINES = 40


class Node:
    def __init__(self, folder: Path, spec: NodeSpec, cluster: ClusterSpec):
        self.folder = Path(folder)
        self.spec = spec
        self.cluster = cluster
        self.pidfile = self.folder / "node.pid"
        self.console = self.folder / "logs" / "console.log"
        self._child: subprocess.Popen | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def url(self) -> str:
        return self.spec.url

    @property
    def marker(self) -> str:
        """The argument that tells this node's JVM from any other process (see cluster.process)."""
        return f"-Epath.data={self.folder / 'data'}"

    def pid(self) -> int | None:
        """The running JVM's pid, None when the node is not running. A node this object
        started counts as running while its child has not exited: /proc can show an
        empty command line for an instant while the launcher script execs the JVM."""
        if self._child is not None and self._child.poll() is None:
            return self._child.pid
        return process.running_pid(self.pidfile, self.marker)

    def running(self) -> bool:
        return self.pid() is not None

    def start(self, home: Path, java_home: Path, account: Account | None, die_with_parent: bool) -> None:
        """Start the JVM (not waiting for it to answer). `home` is the distribution,
        `account` the user to run as (None: the caller), `die_with_parent` ties the
        node's life to this process (tests)."""
        if self.running():
            raise ClusterError(f"{self.name} is already running (pid {self.pid()}, {self.pidfile})")
        for sub in ("data", "logs", "tmp"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        write_config(home, self.folder, self.cluster, self.spec)
        check_reachable(self.folder, account)
        hand_over(self.folder, account)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.folder),
            "JAVA_HOME": str(java_home),
            "OPENSEARCH_JAVA_HOME": str(java_home),
            "OPENSEARCH_PATH_CONF": str(self.folder / "config"),
            "OPENSEARCH_TMPDIR": str(self.folder / "tmp"),
        }
        command = [str(home / "bin" / "opensearch"), self.marker, f"-Epath.logs={self.folder / 'logs'}"]
        switch = {} if account is None else {"user": account.uid, "group": account.gid, "extra_groups": []}
        with open(self.console, "ab") as console:
            self._child = subprocess.Popen(
                command, cwd=self.folder, env=env, stdin=subprocess.DEVNULL, stdout=console,
                stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=process.die_with_parent if die_with_parent else None, **switch)
        self.pidfile.write_text(f"{self._child.pid}\n")

    def exited(self) -> str:
        """Why the JVM this object started is gone ("" while it runs): for health waits."""
        if self._child is None or self._child.poll() is None:
            return ""
        return f"{self.name} exited with status {self._child.returncode}; its log ends:\n{self.log_tail()}"

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> str:
        """SIGTERM, then SIGKILL after `grace` seconds; "stopped", "killed" or "not running"."""
        pid = self.pid()
        if pid is None:
            self._forget()
            return "not running"
        how = process.end(pid, self.marker, grace, self._child)
        self._forget()
        return how

    def kill(self) -> None:
        """SIGKILL the node at once, as a crash would; returns when it is gone."""
        pid = self.pid()
        if pid is None:
            raise ClusterError(f"{self.name} is not running")
        process.kill(pid, self.marker, self._child)
        self._forget()

    def _forget(self) -> None:
        self.pidfile.unlink(missing_ok=True)
        self._child = None

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The last lines the JVM printed (console.log), for error messages."""
        try:
            text = self.console.read_text(errors="replace")
        except OSError:
            return "(no log yet)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"
