"""Writing documents with OpenSearch's bulk API, every item's answer checked.

A bulk request answers 200 even when some of its documents were refused (a field the
strict mapping does not know, a value of the wrong type, a full disk): each item has
its own status. `write` sends the actions in requests of at most `CHUNK_DOCUMENTS`
documents and `CHUNK_BYTES` bytes (an original file larger than that goes alone),
retries the items the cluster refused for being busy (429) with a backoff, and raises
`BulkFailed` naming the first refused document as soon as a request has one — the
build then deletes its half-written index.

API: `write(client, actions, progress=None) -> int`, `index_action(index, source)`,
`delete_action(index, doc_id, routing)`, `BulkFailed`.
"""
from __future__ import annotations

from typing import Callable, Iterable

from opensearchpy import helpers

from index.opensearch.documents import doc_id, routing

CHUNK_DOCUMENTS = 500
CHUNK_BYTES = 8 * 1024 * 1024
BUSY_RETRIES = 4


class BulkFailed(Exception):
    """The cluster refused documents; the message names the first and why."""


def index_action(index: str, source: dict) -> dict:
    """Index (create or replace) `source` under its id, routed by its agency."""
    return {"_op_type": "index", "_index": index, "_id": doc_id(source), "routing": routing(source),
            "_source": source}


def delete_action(index: str, document_id: str, route: str) -> dict:
    return {"_op_type": "delete", "_index": index, "_id": document_id, "routing": route}


def _first_error(errors: list[dict]) -> str:
    for error in errors:
        for operation, item in error.items():
            reason = item.get("error") or {}
            if isinstance(reason, dict):
                reason = f"{reason.get('type', 'error')}: {reason.get('reason', '')}"
                cause = (item.get("error") or {}).get("caused_by")
                if isinstance(cause, dict):
                    reason += f" ({cause.get('type', '')}: {cause.get('reason', '')})"
            return f"{operation} {item.get('_id')}: {reason}"
    return "unknown error"


def write(client, actions: Iterable[dict], progress: Callable[[dict], None] | None = None) -> int:
    """Send `actions` (see the module docstring); how many succeeded. A delete of a
    document that is not there counts as done. :raise BulkFailed:"""
    done = 0
    try:
        for ok, item in helpers.streaming_bulk(client, actions, chunk_size=CHUNK_DOCUMENTS,
                                               max_chunk_bytes=CHUNK_BYTES, max_retries=BUSY_RETRIES,
                                               initial_backoff=1, max_backoff=30, ignore_status=(404,)):
            done += 1
            if progress is not None:
                progress(item)
    except helpers.BulkIndexError as error:
        raise BulkFailed(f"{len(error.errors)} document(s) were refused; "
                         f"the first: {_first_error(error.errors)}") from None
    return done
