"""One table of settings (config/settings.py): each limit, raised and lowered, is obeyed
where it applies, and the site, the command line and gunicorn read the same values."""
import dataclasses

import pytest

from corpus.report import REQUEST_ROWS
from config.settings import DEFAULTS, MB, NAMES, Settings, from_environment, help_of
from search.comparison import ComparisonRequest
from search.query import parse
from search.request import BadRequest, SearchRequest
from search.whoosh.context import open_context
from tests.web_support import index_root, make_app  # noqa: F401  (fixture)
from web.config import env_value, search_settings
from web.service import get_service


def test_every_setting_has_help_and_an_environment_override(monkeypatch):
    assert all(help_of(name) for name in NAMES)
    monkeypatch.setenv("REPORTS_MAX_PAGE", "7")
    monkeypatch.setenv("REPORTS_RATELIMIT_ENABLED", "no")
    monkeypatch.setenv("REPORTS_OPENSEARCH_TIMEOUT", "2.5")
    found = from_environment()
    assert (found.max_page, found.ratelimit_enabled, found.opensearch_timeout) == (7, False, 2.5)
    monkeypatch.setenv("REPORTS_MAX_PAGE", "many")
    with pytest.raises(ValueError, match="REPORTS_MAX_PAGE"):
        from_environment()


def test_the_site_hands_search_the_settings_of_its_table():
    config = {name.upper(): getattr(DEFAULTS, name) for name in NAMES}
    assert search_settings(config) == DEFAULTS
    config["MAX_PAGE"] = 3
    assert search_settings(config) == dataclasses.replace(DEFAULTS, max_page=3)


@pytest.mark.parametrize("length", [4, 300])
def test_max_query_length_cuts_the_parsed_query_and_the_request(length):
    text = "政府信息公开" * 60          # 360 characters
    settings = Settings(max_query_length=length)
    assert len(SearchRequest.from_params({"q": text}, settings).query) == min(length, len(text))
    assert parse(text, settings).text == text[:length]


@pytest.mark.parametrize("terms", [2, 30])
def test_max_terms_bounds_the_terms_a_query_uses(terms):
    text = " ".join(f"词{n}" for n in range(20)) + " -除外"
    parsed = parse(text, Settings(max_terms=terms))
    assert len(parsed.terms) + len(parsed.excluded) == min(terms, 21)


@pytest.mark.parametrize("cap", [3, 2000])
def test_max_page_is_the_highest_page(cap):
    settings = Settings(max_page=cap)
    assert SearchRequest.from_params({"page": str(cap)}, settings).page == cap
    with pytest.raises(BadRequest, match=f"页码不能超过 {cap}。"):
        SearchRequest.from_params({"page": str(cap + 1)}, settings)


@pytest.mark.parametrize("size, cap", [(2, 5), (20, 100)])
def test_page_size_and_its_cap(size, cap):
    settings = Settings(page_size=size, max_page_size=cap)
    assert SearchRequest.from_params({}, settings).page_size == size
    assert SearchRequest.from_params({"size": str(cap + 9)}, settings).page_size == cap


@pytest.mark.parametrize("cap", [1, 60])
def test_max_filter_values(cap):
    settings = Settings(max_filter_values=cap)
    assert len(SearchRequest.from_params({"agency": [f"局{n}" for n in range(cap)]}, settings).agencies) == cap
    with pytest.raises(BadRequest, match=f"机关筛选条件最多 {cap} 个。"):
        SearchRequest.from_params({"agency": [f"局{n}" for n in range(cap + 1)]}, settings)


@pytest.mark.parametrize("cap", [1, 12])
def test_max_figure_filters(cap):
    settings = Settings(max_figure_filters=cap)
    conditions = [f"requests.new.total>{n}" for n in range(cap + 1)]
    assert len(SearchRequest.from_params({"fig": conditions[:cap]}, settings).figure_filters) == cap
    with pytest.raises(BadRequest, match=f"数字筛选条件最多 {cap} 个"):
        SearchRequest.from_params({"fig": conditions}, settings)
    with pytest.raises(BadRequest, match=f"数字筛选条件最多 {cap} 个"):
        ComparisonRequest.from_params({"fig": conditions}, settings)


@pytest.mark.parametrize("cap", [5, 400])
def test_max_value_chars(cap):
    settings = Settings(max_value_chars=cap)
    assert SearchRequest.from_params({"region": "区" * cap}, settings).regions == ("区" * cap,)
    with pytest.raises(BadRequest, match="地区名称过长。"):
        SearchRequest.from_params({"region": "区" * (cap + 1)}, settings)


@pytest.mark.parametrize("cap", [2, 9])
def test_max_figure_columns(cap):
    keys = [f"requests.{row}.total" for row in REQUEST_ROWS[:10]]
    settings = Settings(max_figure_columns=cap)
    assert len(ComparisonRequest.from_params({"figure": keys[:cap]}, settings).keys) == cap
    with pytest.raises(BadRequest, match=f"一次最多比较 {cap} 个数字。"):
        ComparisonRequest.from_params({"figure": keys[:cap + 1]}, settings)
    cut = ComparisonRequest.from_params({"figure": keys[:cap + 1]}, settings, cut_columns=True)
    assert (len(cut.keys), len(cut.chosen)) == (cap, cap + 1)


@pytest.mark.parametrize("rows, cap", [(3, 10), (200, 8000)])
def test_comparison_rows_and_their_cap(rows, cap):
    settings = Settings(comparison_rows=rows, max_comparison_rows=cap)
    assert ComparisonRequest.from_params({}, settings).page_size == rows
    assert ComparisonRequest.from_params({"size": str(cap + 1)}, settings).page_size == cap


def test_an_operators_limits_reach_the_search_library(index_root, monkeypatch):  # noqa: F811
    monkeypatch.setenv("REPORTS_MAX_PAGE", "7")
    monkeypatch.setenv("REPORTS_QUERY_CACHE_MB", "3")
    monkeypatch.setenv("REPORTS_MAX_QUERY_LENGTH", "300")
    monkeypatch.setenv("REPORTS_WORKERS", "5")
    assert env_value("WORKERS") == 5            # what web/gunicorn.conf.py reads
    app = make_app(index_root)
    client = app.test_client()
    assert client.get("/api/search?q=公开&page=8").status_code == 400
    assert "页码不能超过 7。" in client.get("/api/search?q=公开&page=8").get_data(as_text=True)
    assert client.get("/api/search?q=公开&page=7").status_code == 200
    # A query longer than the default 200 but within the operator's 300 is searched whole.
    long = "公开" + "。" * 240 + "申请"
    assert client.get(f"/api/search?q={long}").get_json()["query"] == long
    assert client.get(f"/api/search?q={long + '一' * 60}").status_code == 400
    with app.app_context():
        handle = get_service().handle
        with open_context(handle) as ctx:
            assert ctx.cache.budget_bytes == 3 * MB


def test_gunicorn_reads_its_numbers_from_the_same_table(monkeypatch):
    import runpy
    from pathlib import Path

    conf = str(Path(__file__).resolve().parent.parent / "web" / "gunicorn.conf.py")
    defaults = runpy.run_path(conf)
    assert (defaults["bind"], defaults["workers"], defaults["threads"]) == (
        env_value("BIND"), env_value("WORKERS"), env_value("THREADS"))
    assert DEFAULTS.public_url == ""          # links from the request (web/links.py)
    monkeypatch.setenv("REPORTS_BIND", "127.0.0.1:8123")
    monkeypatch.setenv("REPORTS_THREADS", "3")
    monkeypatch.setenv("REPORTS_WORKERS", "5")
    changed = runpy.run_path(conf)
    assert (changed["bind"], changed["workers"], changed["threads"]) == ("127.0.0.1:8123", 5, 3)


# --- reading files: each limit lowered and raised, obeyed by the parse ---------------------

def _slow_parse(path):
    """Stands for a reader that takes 1.5 s on any file."""
    import time

    time.sleep(1.5)
    return f"read {path}"


def _hog(path):
    """Stands for a reader that needs 400 MB for any file."""
    hoard = bytearray(400 * MB)
    return f"held {len(hoard) // MB} MB"


@pytest.mark.parametrize("seconds, finished", [("1", False), ("5", True)])
def test_parse_seconds_bounds_a_files_parse(monkeypatch, seconds, finished):
    from corpus.limits import parse_many

    monkeypatch.setenv("REPORTS_PARSE_SECONDS", seconds)
    [(_, result)] = list(parse_many([("one", "a.txt")], parse=_slow_parse))
    assert (result == "read a.txt") is finished
    if not finished:
        assert result.error == f"The file took longer than {seconds} s to read; it was skipped."


@pytest.mark.parametrize("memory, finished", [("200", False), ("800", True)])
def test_parse_memory_bounds_a_files_parse(monkeypatch, memory, finished):
    from corpus.limits import parse_many

    monkeypatch.setenv("REPORTS_PARSE_MEMORY_MB", memory)
    [(_, result)] = list(parse_many([("one", "a.txt")], parse=_hog))
    assert (result == "held 400 MB") is finished
    if not finished:
        assert result.error == f"The file needs more than {memory} MB of memory to read; it was skipped."


@pytest.mark.parametrize("limit_mb", [1, 60])
def test_max_file_mb_bounds_the_files_read_and_downloaded(monkeypatch, tmp_path, limit_mb):
    from corpus.fetch.client import Client
    from corpus.parse import parse_file

    monkeypatch.setenv("REPORTS_MAX_FILE_MB", str(limit_mb))
    inside, beyond = tmp_path / "inside.txt", tmp_path / "beyond.txt"
    for path, size in ((inside, limit_mb * MB - 1), (beyond, limit_mb * MB + 1)):
        with open(path, "wb") as handle:      # sparse: nothing read before the size check
            handle.truncate(size)
    assert parse_file(beyond).error == f"The file is larger than {limit_mb} MB."
    if limit_mb == 1:      # reading a 60 MB file of zeros through the readers is not this test's point
        assert "larger than" not in parse_file(inside).error
    assert Client().max_bytes == limit_mb * MB


@pytest.mark.slow     # LibreOffice runs
@pytest.mark.parametrize("seconds, reason", [("0.5", "took longer than 0.5 s"), ("20", "could not convert")])
def test_convert_seconds_bounds_libreoffice(monkeypatch, tmp_path, seconds, reason):
    from corpus.parse import parse_bytes
    from tests.test_readers_legacy import made_up_doc

    data = made_up_doc()
    slow = tmp_path / "soffice"        # a converter that writes nothing after 2 s
    slow.write_text("#!/bin/sh\nsleep 2\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("REPORTS_CONVERT_SECONDS", seconds)
    assert reason in parse_bytes(data, "slow.doc", ".doc").error


# --- writing the index: each limit lowered and raised, obeyed by the writers ---------------

@pytest.mark.parametrize("seconds, gets_it", [("0.4", False), ("30", True)])
def test_lock_wait_seconds_bounds_a_writers_wait_for_another(monkeypatch, tmp_path, seconds, gets_it):
    import threading

    from index.lock import IndexLocked, write_lock

    monkeypatch.setenv("REPORTS_LOCK_WAIT_SECONDS", seconds)
    taken, release = threading.Event(), threading.Event()

    def hold():
        with write_lock(tmp_path, "build"):
            taken.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(60)
    threading.Timer(1.5, release.set).start()      # the build ends after 1.5 s
    said = []
    try:
        with write_lock(tmp_path, "add", say=said.append):
            got = True
    except IndexLocked as refused:
        got = False
        assert f"gave up after waiting {seconds} s (REPORTS_LOCK_WAIT_SECONDS)" in str(refused)
    finally:
        release.set()
        holder.join()
    assert got is gets_it
    assert said[0].endswith(f"to finish; giving up after {seconds} s (REPORTS_LOCK_WAIT_SECONDS)")


@pytest.mark.parametrize("keep, grace, left", [("0", "0", 1), ("1", "0", 2), ("0", "3600", 3)])
def test_keep_generations_and_generation_grace_seconds_bound_the_generations_on_disk(monkeypatch, tmp_path,
                                                                                   keep, grace, left):
    from index.__main__ import main as index_main
    from index.generations import generations
    from tests.indexdata import write_report

    corpus, root = tmp_path / "corpus", str(tmp_path / "index")
    write_report(corpus, "a.txt", "青苔市档案局", 2022)
    write_report(corpus, "b.txt", "白露县水务局", 2022)
    monkeypatch.setenv("REPORTS_KEEP_GENERATIONS", keep)
    monkeypatch.setenv("REPORTS_GENERATION_GRACE_SECONDS", grace)
    for argv in (["build", "--corpus", str(corpus), "--workers", "1"], ["build", "--corpus", str(corpus),
                 "--workers", "1"], ["remove", "白露县水务局-2022"]):       # three generations, one live
        assert index_main([*argv, "--index", root, "--quiet"]) == 0
    assert len(generations(root)) == left
