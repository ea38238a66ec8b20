"""``scripts/opensearch start|status|stop`` as a person runs it, and the nodes' lifetimes:
a node a killed test run started dies with it, and a pidfile naming some other process
never gets that process stopped."""
from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from cluster import Cluster, ClusterError, process
from cluster.account import RUNNER
from cluster.distribution import VERSION
from cluster.node import Node
from cluster.settings import ClusterSpec, NodeSpec
from tests.opensearch_nodes import clear_leftovers, nodes_root

pytestmark = pytest.mark.opensearch

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "opensearch"
COMMAND_SECONDS = 300


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *arguments], capture_output=True, text=True, timeout=COMMAND_SECONDS)


def free_port_pair() -> int:
    """A free HTTP port whose transport port (+100) is free too."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 100 < 65536:
            with socket.socket() as other:
                try:
                    other.bind(("127.0.0.1", port + 100))
                except OSError:
                    continue
            return port
    raise AssertionError("no free pair of ports")


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def owner_of(pid: int) -> str:
    with open(f"/proc/{pid}/status") as status:
        uid = next(int(line.split()[1]) for line in status if line.startswith("Uid:"))
    return pwd.getpwuid(uid).pw_name


@pytest.fixture
def folder():
    # Not under nodes_root(): a test run starting meanwhile clears clusters there
    # that no live test run owns, and a command-started one has no owner.
    made = Path(tempfile.mkdtemp(prefix="gov-reports-command-"))
    os.chmod(made, 0o755)
    yield made / "cluster"
    run("stop", "--dir", str(made / "cluster"))
    shutil.rmtree(made, ignore_errors=True)


def test_start_status_stop(folder):
    port = free_port_pair()
    started = run("start", "--dir", str(folder), "--port", str(port))
    assert started.returncode == 0, started.stderr
    url = f"http://127.0.0.1:{port}"
    assert started.stdout == url + "\n"

    assert get(url)["version"]["number"] == VERSION
    node = next(iter(get(url + "/_nodes/_local/settings,jvm")["nodes"].values()))
    assert node["settings"]["network"]["host"] == "127.0.0.1"
    assert node["jvm"]["mem"]["heap_max_in_bytes"] == 512 * 1024 * 1024
    pid = int((folder / "node-0" / "node.pid").read_text())
    assert owner_of(pid) == (RUNNER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name)

    status = run("status", "--dir", str(folder))
    assert status.returncode == 0, status.stdout
    assert f"node-0  {url}  running (pid {pid})" in status.stdout and ": green, 1 node(s)" in status.stdout

    again = run("start", "--dir", str(folder))
    assert (again.returncode, again.stdout) == (0, url + "\n") and "already running" in again.stderr

    stopped = run("stop", "--dir", str(folder))
    assert stopped.returncode == 0 and "node-0: stopped" in stopped.stderr
    assert not process.carries(pid, f"-Epath.data={folder / 'node-0' / 'data'}")
    after = run("status", "--dir", str(folder))
    assert after.returncode == 1 and "not running" in after.stdout


def test_a_node_dies_with_the_test_run_that_started_it():
    code = ("import time\n"
            "from tests.opensearch_nodes import new_cluster\n"
            "cluster = new_cluster('orphan')\n"
            "cluster.launch(die_with_parent=True)\n"
            "print(cluster.nodes['node-0'].pid(), cluster.folder, flush=True)\n"
            "time.sleep(600)\n")
    run_ = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        pid_text, folder_text = run_.stdout.readline().split()
    finally:
        run_.stdout.close()
    pid, folder = int(pid_text), Path(folder_text)
    marker = f"-Epath.data={folder / 'node-0' / 'data'}"
    deadline = time.monotonic() + 120
    while not process.carries(pid, "org.opensearch.bootstrap.OpenSearch"):   # the JVM proper, not its launcher
        assert process.carries(pid, marker) and time.monotonic() < deadline, "the node never started"
        time.sleep(0.1)

    run_.send_signal(signal.SIGKILL)
    run_.wait(timeout=30)
    assert process.wait_gone(pid, marker, timeout=30.0)

    clear_leftovers(nodes_root())                      # what the next test run's start does
    assert not folder.exists()


def test_a_node_that_cannot_start_says_why_with_its_log():
    cluster = Cluster.plan(Path(tempfile.mkdtemp(prefix="gov-reports-failing-")), heap="1m")
    os.chmod(cluster.folder, 0o755)
    try:
        with pytest.raises(ClusterError) as failure:
            cluster.start(die_with_parent=True, timeout=120)
    finally:
        cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)
    message = str(failure.value)
    assert "node-0 exited with status" in message and "its log ends:" in message
    assert "heap" in message.split("its log ends:")[1].lower()          # the JVM's own words


def test_a_pidfile_naming_another_process_is_not_a_node(tmp_path):
    spec = NodeSpec("node-0", 1, 2)
    node = Node(tmp_path / "node-0", spec, ClusterSpec("stale", (spec,)))
    node.folder.mkdir()
    node.pidfile.write_text(f"{os.getpid()}\n")        # this very test process, reused pid say
    assert node.pid() is None and not node.running()
    assert node.stop() == "not running"
    assert not node.pidfile.exists()
