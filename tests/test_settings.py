"""One table of limits: web/config.py's settings reach search/ as one `Settings`, and
the limits search/ enforces are the ones the operator set."""
import pytest

from search.whoosh.context import open_context
from search.request import BadRequest, SearchRequest
from search.settings import DEFAULTS, MB, Settings
from web.config import SETTINGS, env_value, search_settings
from web.service import get_service
from tests.web_support import index_root, make_app  # noqa: F401  (fixture)


def test_the_web_table_takes_its_search_limits_from_search_settings():
    defaults = {s.name: s.default for s in SETTINGS}
    assert search_settings(defaults) == DEFAULTS


def test_search_enforces_the_limits_it_is_given():
    tight = Settings(max_page=3, max_page_size=5, default_page_size=2, max_filter_values=1,
                     max_figure_filters=1, max_query_chars=4)
    assert SearchRequest.from_params({"size": "9"}, tight).page_size == 5
    assert SearchRequest.from_params({}, tight).page_size == 2
    assert SearchRequest.from_params({"q": "政府信息公开"}, tight).query == "政府信息"
    with pytest.raises(BadRequest, match="页码不能超过 3。"):
        SearchRequest.from_params({"page": "4"}, tight)
    with pytest.raises(BadRequest, match="机关筛选条件最多 1 个。"):
        SearchRequest.from_params({"agency": ["甲局", "乙局"]}, tight)
    with pytest.raises(BadRequest, match="数字筛选条件最多 1 个"):
        SearchRequest.from_params({"fig": ["requests.new>1", "requests.new<9"]}, tight)


def test_an_operators_limits_reach_the_search_library(index_root, monkeypatch):  # noqa: F811
    monkeypatch.setenv("REPORTS_MAX_PAGE", "7")
    monkeypatch.setenv("REPORTS_QUERY_CACHE_MB", "3")
    monkeypatch.setenv("REPORTS_WORKERS", "5")
    assert env_value("WORKERS") == 5            # what web/gunicorn.conf.py reads
    app = make_app(index_root)
    client = app.test_client()
    assert client.get("/api/search?q=公开&page=8").status_code == 400
    assert "页码不能超过 7。" in client.get("/api/search?q=公开&page=8").get_data(as_text=True)
    assert client.get("/api/search?q=公开&page=7").status_code == 200
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
    assert {s.name: s.default for s in SETTINGS}["PUBLIC_URL"] == "http://" + defaults["bind"]
    monkeypatch.setenv("REPORTS_BIND", "127.0.0.1:8123")
    monkeypatch.setenv("REPORTS_THREADS", "3")
    monkeypatch.setenv("REPORTS_WORKERS", "5")
    changed = runpy.run_path(conf)
    assert (changed["bind"], changed["workers"], changed["threads"]) == ("127.0.0.1:8123", 5, 3)
