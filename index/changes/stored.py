"""Reading the change record an index holds (stored with each report document)."""
from __future__ import annotations

import json

from index import schema as f


def stored_changes(stored: dict) -> dict | None:
    """The record a stored report document holds (None: written before records existed)."""
    raw = stored.get(f.CHANGES_JSON)
    return json.loads(raw) if raw else None
