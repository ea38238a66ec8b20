"""The OpenSearch index: its mapping (``mapping.json``, beside this file), its settings,
and the names of its fields and document kinds — every one in one place.

``mapping.json`` is explicit (``dynamic: strict``: a field it does not name is refused,
never guessed) and ``mapping.md`` says why each field is what it is. The names are
those of `index.schema` wherever the same value is meant (``agency``, ``report_json``,
``fig_requests__new__total`` …), so `index.documents` makes both engines' documents;
the fields only OpenSearch has are named here.

API: `mapping()`, `index_settings(shards)`, the field names, the kinds
(`KIND_SECTION`, `KIND_REPORT`, `KIND_ORIGINAL`, `KIND_GENERATION`), `FIGURE_FIELDS`,
`SECTION_ORDER`, `MAX_RESULT_WINDOW`, `GENERATION_ID`.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

from corpus.report import ALL_FIGURE_KEYS, SECTION_KEYS
# The fields both engines have (their meaning: index.schema).
from index.schema import (  # noqa: F401  (names of this module's API)
    AGENCY, CHANGE, CHANGES_JSON, DOC_ID, FAILING, FINDING, FINDINGS_JSON, KIND, KIND_REPORT, KIND_SECTION,
    ORIGINAL, PUBLISHED, REGION, REPORT_ID, REPORT_JSON, SECTION, SOURCE, SOURCE_URL, TABLES_JSON, TEMPLATE,
    TEXT_FIELD as TEXT, TITLE, YEAR, figure_field,
)

MAPPING = Path(__file__).with_name("mapping.json")

# The fields only OpenSearch has.
AGENCY_ID = "agency_id"          # the agency page's id (index.ids.agency_id), for its lookup
SECTION_ORDER_FIELD = "section_order"   # the section's place in the template (sorts a report's sections)
TEXT_WORDS = "text_words"        # the prose's jieba words, space-separated (BM25; phrases)
TITLE_WORDS = "title_words"      # the title's jieba words
TABLES_WORDS = "tables_words"    # the tables' jieba words (ranked far below prose)
AGENCY_WORDS = "agency_words"    # the agency name's jieba words
GRAMS = "grams"                  # the searchable text's character bigrams: the verbatim match
CONTENT = "content"              # an original file's bytes (base64), on its own document
GENERATION = "generation"        # what the generation document keeps (not indexed)

KIND_ORIGINAL = "original"       # one per kept original file
KIND_GENERATION = "generation"   # one per index: the jieba dictionary, when it was built and changed
GENERATION_ID = "generation"     # that document's id (and its routing)

FIGURE_FIELDS = {key: figure_field(key) for key in ALL_FIGURE_KEYS}
SECTION_ORDER = {key: order for order, key in enumerate(SECTION_KEYS)}

# Deep pages: the site's last page (max_page × max_page_size) must be reachable with
# from/size; deeper rows (a comparison's later pages) are read with search_after.
MAX_RESULT_WINDOW = 50_000


@functools.cache
def _mapping_text() -> str:
    return MAPPING.read_text(encoding="utf-8")


def mapping() -> dict:
    """The index's mapping (a fresh copy of ``mapping.json``)."""
    return json.loads(_mapping_text())


def index_settings(shards: int) -> dict:
    """The settings an index is created with: its primary shards, and neither replicas
    nor refreshes while the build writes (both restored when it is done:
    `index.opensearch.generations.finish`)."""
    return {"number_of_shards": int(shards), "number_of_replicas": 0, "refresh_interval": "-1",
            "max_result_window": MAX_RESULT_WINDOW}
