"""A local OpenSearch cluster of one or more nodes on loopback, kept in one folder.

    with Cluster.create(folder, nodes=2, tiebreaker=True) as cluster:   # started, green
        cluster.urls                           # every data node's http URL
        cluster.kill("node-1")                 # SIGKILL, as a crash; returns when it is gone
        cluster.wait_for("yellow")             # the survivors agree it is gone
        cluster.restart("node-1")              # same data; returns when it has rejoined
        cluster.wait_for("green")
    # stopped (SIGTERM, then SIGKILL) on the way out

The folder holds ``cluster.json`` (its name; its nodes' ports, roles and heap; the pid
of the process the nodes die with, if any) and one folder per node (cluster.node).
`Cluster.load(folder)` reads it back, so another process (``scripts/opensearch
status|stop``, a later test run) can find and stop what a start left running.

Two data nodes alone cannot lose either one: a cluster needs a majority of its
cluster-manager-eligible nodes to elect a manager, and of two nodes OpenSearch keeps
only one in the voting configuration — if that one dies, the other stays without a
manager (searches of its copies may still answer, but health, writes and index
changes fail). ``tiebreaker=True`` adds a third, small node that is
cluster-manager-eligible and holds no data, so either data node can die and the
other two still elect a manager; `urls` lists only the data nodes.

Ports: `http_port`/`transport_port` give the first node's, the others follow (+1, +2);
left out, free ports are picked (tests). Every node listens on 127.0.0.1 only.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import time
from pathlib import Path

from cluster import account as accounts
from cluster.distribution import VERSION, distribution, make_public
from cluster.errors import ClusterError
from cluster.health import cluster_health, get_json, wait_for_health
from cluster.java import java_home
from cluster.node import Node
from cluster.settings import DATA_ROLES, HEAP, ClusterSpec, NodeSpec

START_SECONDS = 120.0
TIEBREAKER_HEAP = "256m"


class Cluster:
    def __init__(self, folder: Path, spec: ClusterSpec, owner: int | None = None):
        self.folder = Path(folder)
        self.spec = spec
        self.owner = owner      # the pid whose death ends the nodes (die_with_parent), if any
        self.nodes = {node.name: Node(self.folder / node.name, node, spec) for node in spec.nodes}

    # -- making and finding one --------------------------------------------------------
    @classmethod
    def plan(cls, folder: Path, nodes: int = 1, http_port: int | None = None,
             transport_port: int | None = None, heap: str = HEAP, tiebreaker: bool = False,
             name: str | None = None) -> "Cluster":
        """Describe a new cluster in `folder` (nothing started, nothing written yet)."""
        if nodes < 1:
            raise ClusterError("a cluster needs at least one node")
        if not re.fullmatch(r"[1-9][0-9]*[kmg]", heap):
            raise ClusterError(f"a heap is a size like 512m or 2g, not {heap!r}")
        total = nodes + (1 if tiebreaker else 0)
        free = _free_ports(2 * total) if http_port is None or transport_port is None else []
        https = free[:total] if http_port is None else [http_port + n for n in range(total)]
        transports = free[total:] if transport_port is None else [transport_port + n for n in range(total)]
        specs = [NodeSpec(f"node-{n}", https[n], transports[n], DATA_ROLES, heap) for n in range(nodes)]
        if tiebreaker:
            specs.append(NodeSpec("tiebreaker", https[nodes], transports[nodes], ("cluster_manager",),
                                  TIEBREAKER_HEAP))
        name = name or f"gov-reports-{secrets.token_hex(3)}"
        return cls(folder, ClusterSpec(name, tuple(specs)))

    @classmethod
    def load(cls, folder: Path) -> "Cluster | None":
        """The cluster described by ``folder/cluster.json``, None if there is none."""
        try:
            saved = json.loads((Path(folder) / "cluster.json").read_text())
        except FileNotFoundError:
            return None
        nodes = tuple(NodeSpec.from_json(node) for node in saved["nodes"])
        return cls(folder, ClusterSpec(saved["name"], nodes), saved.get("owner"))

    @classmethod
    def create(cls, folder: Path, nodes: int = 1, *, fresh: bool = True, die_with_parent: bool = True,
               timeout: float = START_SECONDS, **plan) -> "Cluster":
        """Plan, start and wait for a green cluster in `folder` — the tests' way.

        A cluster left running in the folder by an earlier, killed run is stopped
        first; `fresh` deletes its data too."""
        old = cls.load(folder)
        if old is not None:
            old.stop()
        if fresh and Path(folder).exists():
            shutil.rmtree(folder)
        cluster = cls.plan(folder, nodes, **plan)
        cluster.start(die_with_parent=die_with_parent, timeout=timeout)
        return cluster

    def save(self) -> None:
        make_public(self.folder)
        body = {"name": self.spec.name, "version": VERSION, "owner": self.owner,
                "nodes": [node.to_json() for node in self.spec.nodes]}
        (self.folder / "cluster.json").write_text(json.dumps(body, indent=1) + "\n")

    # -- what it is --------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The first data node's URL."""
        return self.urls[0]

    @property
    def urls(self) -> list[str]:
        """Every data node's URL (give them all to a client: it fails over between them)."""
        return [node.url for node in self.spec.nodes if node.holds_data]

    def node(self, name: str) -> Node:
        try:
            return self.nodes[name]
        except KeyError:
            raise ClusterError(f"no node {name!r} in {self.folder} (nodes: {', '.join(self.nodes)})") from None

    def running(self) -> list[str]:
        """The names of the nodes whose JVM is running."""
        return [name for name, node in self.nodes.items() if node.running()]

    def health(self, timeout: float = 5.0) -> dict | None:
        """``_cluster/health`` from the first running node that answers; None if none does."""
        for node in self.nodes.values():
            if node.running():
                try:
                    return cluster_health(node.url, timeout=timeout)
                except (OSError, ValueError):
                    continue
        return None

    def cluster_manager(self, timeout: float = 5.0) -> str | None:
        """The name of the elected cluster manager, None while there is none."""
        for node in self.nodes.values():
            if node.running():
                try:
                    state = get_json(node.url, "/_cluster/state/cluster_manager_node,nodes", timeout=timeout)
                except (OSError, ValueError):
                    continue
                manager = state.get("cluster_manager_node")
                if manager:
                    return state["nodes"][manager]["name"]
        return None

    def voting_nodes(self, timeout: float = 5.0) -> int:
        """How many nodes the committed voting configuration holds (0 if no node says)."""
        for node in self.nodes.values():
            if node.running():
                try:
                    state = get_json(node.url, "/_cluster/state/metadata?filter_path=metadata.cluster_coordination",
                                     timeout=timeout)
                    return len(state["metadata"]["cluster_coordination"]["last_committed_config"])
                except (OSError, ValueError, KeyError):
                    continue
        return 0

    def move_cluster_manager(self, away_from: str, timeout: float = START_SECONDS) -> str:
        """Have a node other than `away_from` elected cluster manager, then give
        `away_from` its vote back; returns the new manager's name. For failover tests
        that must kill the elected manager (or must not): elections pick freely."""
        url = next(node.url for node in self.nodes.values() if node.name != away_from and node.running())
        voters = self.voting_nodes()
        get_json(url, f"/_cluster/voting_config_exclusions?node_names={away_from}&timeout={int(timeout)}s",
                 timeout, method="POST")
        try:
            deadline = time.monotonic() + timeout
            while (manager := self.cluster_manager()) in (None, away_from):
                if time.monotonic() > deadline:
                    raise ClusterError(f"no node but {away_from} became cluster manager within {timeout:.0f} s")
                time.sleep(0.25)
        finally:
            get_json(url, "/_cluster/voting_config_exclusions?wait_for_removal=false", timeout, method="DELETE")
        while self.voting_nodes() < voters:           # `away_from` votes again
            if time.monotonic() > deadline:
                raise ClusterError(f"{away_from} did not get its vote back within {timeout:.0f} s")
            time.sleep(0.25)
        return manager

    # -- running it ---------------------------------------------------------------------
    def start(self, die_with_parent: bool = False, timeout: float = START_SECONDS) -> None:
        """Start every node that is not running and wait until the cluster is green."""
        self.launch(die_with_parent)
        self.wait_for("green", timeout)

    def launch(self, die_with_parent: bool = False) -> None:
        """Start every node that is not running, without waiting for them to answer
        (a test run launches its node early and waits only when a test needs it)."""
        home, java, runner = distribution(), java_home(), accounts.runner()
        accounts.check_reachable(home / "bin", runner)
        self.owner = os.getpid() if die_with_parent else None
        self.save()
        for node in self.nodes.values():
            if not node.running():
                _check_free(node.spec)
                node.start(home, java, runner, die_with_parent)

    def wait_for(self, status: str, timeout: float = START_SECONDS, nodes: int | None = None) -> dict:
        """Wait until the running nodes report `status` and exactly `nodes` nodes
        (default: all running ones). On failure — the deadline, or a node started here
        exiting — the error shows the tail of the nodes' logs."""
        def exited() -> str:
            return next((why for why in (node.exited() for node in self.nodes.values()) if why), "")

        alive = [node for node in self.nodes.values() if node.running()]
        if not alive:
            raise ClusterError(exited() or f"no node of {self.folder} is running")
        count = len(alive) if nodes is None else nodes

        try:
            return wait_for_health(alive[0].url, status, count, timeout, exited)
        except ClusterError as error:
            if exited():                    # the message is the exit, with that node's log
                raise
            tails = "\n".join(f"--- {node.name}: {node.console}\n{node.log_tail()}" for node in alive)
            raise ClusterError(f"{error}\n{tails}") from None

    def stop(self, grace: float | None = None) -> dict[str, str]:
        """Stop every node (SIGTERM, SIGKILL after `grace` s); how each ended."""
        extra = {} if grace is None else {"grace": grace}
        return {name: node.stop(**extra) for name, node in self.nodes.items()}

    def kill(self, name: str) -> None:
        """SIGKILL one node, as a crash would (failover tests); returns when it is gone."""
        self.node(name).kill()

    def restart(self, name: str, die_with_parent: bool = True, timeout: float = START_SECONDS) -> None:
        """Start a stopped or killed node again on its data and wait until it has joined."""
        node = self.node(name)
        node.start(distribution(), java_home(), accounts.runner(), die_with_parent)
        self.wait_for("yellow", timeout)

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports nothing listens on now (the kernel's ephemeral picks)."""
    probes = []
    try:
        for _ in range(count):
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _check_free(node: NodeSpec) -> None:
    for port in (node.http_port, node.transport_port):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise ClusterError(f"port {port} for {node.name} is taken (another OpenSearch? "
                                   "`scripts/opensearch status`, or choose --port)")
