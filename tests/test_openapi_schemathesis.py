"""Schemathesis against the OpenAPI document the site serves: for every operation it
generates requests from the document — valid ones (every bound, every word of each
vocabulary) and invalid ones (values off their type, out of their bounds, off their
enums) — sends them to the app (WSGI, an index of the made-up reports) and checks each
answer with all its checks: no 5xx, a status and content type the document lists, a
body its schema accepts, valid requests accepted and invalid ones refused. Bounded:
`EXAMPLES` per operation and phase, derandomized so that a run repeats.

The app and its index are made when the module is collected: Schemathesis's loading
from a fixture (``schemathesis.pytest.from_fixture``) fails under pytest 9 (it reads a
node attribute pytest no longer has), its loading from the app does not.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.web_support import make_app, site_index

pytestmark = pytest.mark.slow

EXAMPLES = 40
_folder = Path(tempfile.mkdtemp(prefix="schemathesis-"))
atexit.register(shutil.rmtree, _folder, True)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", make_app(site_index(_folder / "index")))
seen: Counter = Counter()      # (generation mode, status) of every case sent


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_document_says(case):
    response = case.call_and_validate()
    seen[(case.meta.generation.mode.value if case.meta else "explicit", response.status_code // 100)] += 1


def test_both_valid_and_invalid_requests_were_sent():
    print(dict(seen))     # runs after the operations above (pytest keeps a module's order)
    assert seen[("positive", 2)] >= 6 * 10, seen
    assert seen[("negative", 4)] >= 6 * 10, seen
