"""``scripts/opensearch start|stop|status``: a local OpenSearch to try the site or the engine on.

    scripts/opensearch start                 # one node: prints http://127.0.0.1:9200
    scripts/opensearch start --nodes 2       # two data nodes (+ a tiebreaker), ports 9200, 9201
    scripts/opensearch status                # each node: running or not, and the cluster's health
    scripts/opensearch stop [--delete]       # SIGTERM, then SIGKILL; --delete removes its data too

The cluster lives in ``instance/opensearch`` (``--dir`` for another folder): its nodes'
config, data and logs, and their pidfiles, so ``stop`` and ``status`` find what
``start`` left running, and a second ``start`` only reports it. Data survives stop and
start. Node i listens on ``--port`` + i (HTTP) and ``--port`` + 100 + i (transport), on
127.0.0.1 only. The first start fetches OpenSearch with Maven (cluster.distribution).

``start`` prints the data nodes' URLs on stdout, one a line; everything else goes to
stderr. Exit status: 0 done (``status``: every node runs and answers), 1 otherwise,
2 for bad arguments.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from cluster.cluster import START_SECONDS, Cluster
from cluster.errors import ClusterError
from cluster.settings import HEAP

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = PROJECT / "instance" / "opensearch"
DEFAULT_PORT = 9200
TRANSPORT_OFFSET = 100


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ClusterError as error:
        print(f"opensearch: {error}", file=sys.stderr)
        return 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="scripts/opensearch", description="Local OpenSearch nodes on loopback.")
    verbs = top.add_subparsers(required=True, metavar="start|stop|status")
    start_ = verbs.add_parser("start", help="start one node, or --nodes N, and wait until green")
    start_.add_argument("--nodes", type=int, help="data nodes (default 1, or the folder's cluster's)")
    start_.add_argument("--port", type=int, help=f"first node's HTTP port (default {DEFAULT_PORT}, "
                                                 "or the folder's cluster's)")
    start_.add_argument("--heap", default=HEAP, help=f"each data node's JVM heap (default {HEAP})")
    start_.add_argument("--no-tiebreaker", dest="tiebreaker", action="store_false",
                        help="with --nodes 2: no third cluster-manager-only node (then losing the "
                             "elected manager leaves the other node without one)")
    start_.add_argument("--timeout", type=float, default=START_SECONDS, help="seconds to wait for green")
    start_.set_defaults(run=start)
    stop_ = verbs.add_parser("stop", help="stop the nodes (SIGTERM, then SIGKILL)")
    stop_.add_argument("--delete", action="store_true", help="also delete the cluster's folder (its data)")
    stop_.set_defaults(run=stop)
    status_ = verbs.add_parser("status", help="show each node and the cluster's health")
    status_.set_defaults(run=status)
    for verb in (start_, stop_, status_):
        verb.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the cluster's folder (default instance/opensearch)")
    return top


def start(args: argparse.Namespace) -> int:
    cluster = Cluster.load(args.dir)
    if cluster is None:
        nodes, port = args.nodes or 1, args.port or DEFAULT_PORT
        cluster = Cluster.plan(args.dir, nodes, http_port=port, transport_port=port + TRANSPORT_OFFSET,
                               heap=args.heap, tiebreaker=args.tiebreaker and nodes == 2)
        print(f"starting {len(cluster.spec.nodes)} node(s) in {args.dir}", file=sys.stderr)
    else:
        data_nodes, first = len(cluster.urls), cluster.spec.nodes[0]
        has_tiebreaker = len(cluster.spec.nodes) > data_nodes
        nodes = args.nodes or data_nodes
        asked = (nodes, args.port or first.http_port, args.tiebreaker and nodes == 2)
        if asked != (data_nodes, first.http_port, has_tiebreaker):
            state = "running" if cluster.running() else "stopped"
            raise ClusterError(f"{args.dir} holds a {state} cluster of {data_nodes} data node(s) from port "
                               f"{first.http_port}{' with a tiebreaker' if has_tiebreaker else ''}: start it "
                               "as it is, or `scripts/opensearch stop --delete` it first, or use --dir")
        if len(cluster.running()) == len(cluster.nodes):
            print(f"already running in {args.dir}", file=sys.stderr)
            _print_urls(cluster)
            return 0
        print(f"starting the cluster in {args.dir} (its data kept)", file=sys.stderr)
    try:
        cluster.start(die_with_parent=False, timeout=args.timeout)
    except ClusterError:
        cluster.stop()
        raise
    _print_urls(cluster)
    return 0


def stop(args: argparse.Namespace) -> int:
    cluster = Cluster.load(args.dir)
    if cluster is None:
        print(f"no cluster in {args.dir}", file=sys.stderr)
    else:
        for name, how in cluster.stop().items():
            print(f"{name}: {how}", file=sys.stderr)
    if args.delete and args.dir.exists():
        shutil.rmtree(args.dir)
        print(f"deleted {args.dir}", file=sys.stderr)
    return 0


def status(args: argparse.Namespace) -> int:
    cluster = Cluster.load(args.dir)
    if cluster is None:
        print(f"no cluster in {args.dir}")
        return 1
    running = cluster.running()
    for name, node in cluster.nodes.items():
        state = f"running (pid {node.pid()})" if name in running else "not running"
        print(f"{name}  {node.url}  {state}")
    health = cluster.health() if running else None
    if health is None:
        if running:
            print("no running node answers")
        return 1
    if "error" in health:
        print(f"cluster: {health['error'].get('type', health['error'])}")
        return 1
    print(f"cluster {health['cluster_name']}: {health['status']}, {health['number_of_nodes']} node(s)")
    return 0 if len(running) == len(cluster.nodes) else 1


def _print_urls(cluster: Cluster) -> None:
    for url in cluster.urls:
        print(url, flush=True)
