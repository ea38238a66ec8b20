"""Index generations behind an alias: what the site reads is always one whole build.

Every build writes a new index, ``<alias>-<UTC yyyymmddHHMMSS>-<6 hex>``, and the site
reads the alias. The new index is created without replicas and without refreshes
(`index.opensearch.mapping.index_settings`), bulk-written, then finished (`finish`): merged,
its replicas restored, refreshed, the cluster waited for, its documents counted — and
only then does `flip` move the alias to it, with one ``_aliases`` call that removes
the old index and adds the new one atomically (a search sees the old generation or
the new one, never neither). The old index is deleted after the flip.

A build that fails deletes its index (`abandon`); one that is killed cannot, so a
build first deletes this alias's generations that nothing serves and whose writer
has not been heard from for `GRACE_SECONDS` (`delete_stale`): a writer says it is
alive every minute or so in the index's mapping ``_meta`` (`heartbeat`), so a long
build of another process is never taken for a dead one.

API: `new_name(alias)`, `is_generation(name, alias)`, `live(client, alias) -> str | None`,
`create`, `heartbeat`, `finish`, `flip`, `abandon`, `delete_stale`, `GRACE_SECONDS`.
"""
from __future__ import annotations

import re
import secrets
import time

from opensearchpy.exceptions import NotFoundError

from index import sigterm
from index.opensearch.mapping import index_settings, mapping

GRACE_SECONDS = 600        # an unserved generation silent this long is a dead build's
HEARTBEAT_SECONDS = 60
MERGE_SECONDS = 3600
HEALTH_SECONDS = 120
HEALTH_TIMEOUT = f"{HEALTH_SECONDS}s"


class GenerationFailed(Exception):
    """The new generation is not what was written; the alias was left as it was."""


def new_name(alias: str) -> str:
    """A fresh generation's index name (lower case, as index names must be)."""
    return f"{alias}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"


def is_generation(name: str, alias: str) -> bool:
    """Whether `name` is a generation index of `alias` (not its ledger, not another alias's)."""
    return re.fullmatch(re.escape(alias) + r"-\d{14}-[0-9a-f]{6}", name) is not None


def live(client, alias: str) -> str | None:
    """The index the alias points to, or None when there is no such alias.
    :raise GenerationFailed: when `alias` names an index itself, or several."""
    try:
        found = sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return None
    if len(found) != 1 or found[0] == alias:
        raise GenerationFailed(f"{alias!r} is not an alias of one index (it names {', '.join(found)}); "
                               "choose another --opensearch-index, or delete what is there.")
    return found[0]


def create(client, name: str, shards: int) -> None:
    """Create the empty generation index, its writer alive now."""
    body = {"settings": index_settings(shards), "mappings": {**mapping(), "_meta": _alive()}}
    client.indices.create(index=name, body=body)


def _alive() -> dict:
    return {"build": {"alive": time.time()}}


class Heartbeat:
    """Tells other builds every `HEARTBEAT_SECONDS` that this generation's writer is alive."""

    def __init__(self, client, name: str):
        self.client, self.name, self.last = client, name, time.monotonic()

    def __call__(self, *_) -> None:
        if time.monotonic() - self.last >= HEARTBEAT_SECONDS:
            self.last = time.monotonic()
            self.client.indices.put_mapping(index=self.name, body={"_meta": _alive()})


def heartbeat(client, name: str) -> Heartbeat:
    return Heartbeat(client, name)


def finish(client, name: str, replicas: int, expected: dict) -> None:
    """Make the written index servable: refreshed, merged into one segment per shard (a
    generation is written once and then mostly read: at 10,000 bench reports this took
    it from 966 to 650 MB), replicas and refreshes back, the cluster waited for, and the
    count of each kind of document checked against `expected` (kind -> count).
    :raise GenerationFailed: when a count differs."""
    client.indices.refresh(index=name)
    # Before the replicas: they then copy the merged segments instead of merging too.
    client.indices.forcemerge(index=name, max_num_segments=1, request_timeout=MERGE_SECONDS)
    client.indices.put_settings(index=name, body={"index": {"number_of_replicas": int(replicas),
                                                            "refresh_interval": None}})
    client.indices.refresh(index=name)
    nodes = client.cluster.health()["number_of_data_nodes"]
    status = "green" if replicas < nodes else "yellow"   # a replica needs a node of its own
    health = client.cluster.health(index=name, wait_for_status=status, params={"timeout": HEALTH_TIMEOUT},
                                   request_timeout=HEALTH_SECONDS + 30)
    if health.get("timed_out"):
        raise GenerationFailed(f"The new index {name} did not become {status} within {HEALTH_TIMEOUT}.")
    for kind, count in expected.items():
        held = client.count(index=name, body={"query": {"term": {"kind": kind}}})["count"]
        if held != count:
            raise GenerationFailed(f"The new index {name} holds {held} {kind} documents instead of {count}.")


def flip(client, alias: str, name: str) -> list[str]:
    """Point `alias` at `name` alone, atomically; the indices it pointed to before.

    The call names the old indices as they were read: should another build flip the
    alias meanwhile, the call fails as a whole and the alias stays as that build left it.

    :raise index.sigterm.Terminated: instead, when the process was asked to stop.
    """
    sigterm.check()
    before = [] if live(client, alias) is None else sorted(client.indices.get_alias(name=alias))
    actions = [{"remove": {"index": old, "alias": alias}} for old in before]
    actions.append({"add": {"index": name, "alias": alias}})
    client.indices.update_aliases(body={"actions": actions})
    return before


def abandon(client, alias: str, name: str) -> None:
    """Delete a generation that failed, unless the alias already points to it."""
    try:
        if live(client, alias) != name:
            client.indices.delete(index=name, ignore_unavailable=True)
    except Exception:  # noqa: BLE001 - the build's own error is the one to report; delete_stale retries
        pass


def delete_stale(client, alias: str, grace: float = GRACE_SECONDS) -> list[str]:
    """Delete the generations of `alias` it does not point to whose writer has been silent
    for `grace` seconds (killed builds); the names deleted."""
    serving = live(client, alias)
    found = client.indices.get_mapping(index=f"{alias}-*", expand_wildcards="all", allow_no_indices=True)
    deleted = []
    now = time.time()
    for name, body in found.items():
        if name == serving or not is_generation(name, alias):
            continue
        alive = ((body.get("mappings") or {}).get("_meta") or {}).get("build", {}).get("alive", 0)
        if now - float(alive) >= grace:
            client.indices.delete(index=name, ignore_unavailable=True)
            deleted.append(name)
    return sorted(deleted)
