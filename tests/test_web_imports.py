"""What a gunicorn worker loads: the site, not the build's tools.

Every module a worker imports stays in its memory (and in the master's, which forks
them): the audit's copy check (datasketch, and scipy under it) is ≈ 50 MB and the
readers' PDF and Word libraries more, none of which answering a search needs.
"""
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BUILD_ONLY = ("datasketch", "scipy", "pdfplumber", "pdfminer", "docx", "bs4", "requests")

SCRIPT = f"""
import os, sys
os.environ["REPORTS_INDEX_PATH"] = sys.argv[1]
os.environ["REPORTS_RATELIMIT_ENABLED"] = "0"
os.environ["REPORTS_SECRET_KEY"] = "k" * 64
import web
client = web.create_app().test_client()
for path in ("/", "/search?q=公开", "/audit", "/api/search?q=申请"):
    assert client.get(path, headers={{"Host": "127.0.0.1:8000"}}).status_code == 200, path
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({BUILD_ONLY!r}))))
"""


def test_a_worker_answering_pages_loads_no_build_only_library(tmp_path):
    from index import store
    from index.build import build
    build(store.DEFAULT_CORPUS, tmp_path / "index", workers=1)
    loaded = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "index")], cwd=ROOT, text=True,
                            capture_output=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.split() == []
