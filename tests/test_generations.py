"""The generations kept on disk: listed, made live again (rolled back and forward) without
a restart, kept as many as the setting says, partial ones deleted by the next command."""
from __future__ import annotations

import os
import threading

import pytest

from index import build as builder
from index import generations as kept
from index import store
from index.__main__ import main as index_main
from index.store import IndexHandle
from tests.test_index_lock import held_by_another_thread
from tests.test_no_silent_loss import A, B, C, site  # noqa: F401  (site: a fixture)
from tests.test_store import report_ids

pytestmark = pytest.mark.slow


@pytest.fixture
def history(site):
    """An index built, then added to, then removed from: three generations, all kept."""
    root, corpus, outside = site
    names = [store.current_generation(root)]
    names.append(builder.add([outside], root).generation)
    names.append(builder.remove([f"{B}-2022"], root).generation)
    return root, corpus, names


def test_generations_lists_what_is_kept_newest_first(history, capsys):
    root, _, (built, added, removed) = history
    listed = kept.generations(root)
    assert [(g.name, g.action, g.reports, g.live, g.partial) for g in listed] == [
        (removed, "remove", 2, True, False), (added, "add", 3, False, False), (built, "build", 2, False, False)]
    assert index_main(["generations", "--index", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["generation", "written", "by", "reports", "state"]
    assert [(line.split()[0], line.split()[3], line.split()[4], line.split()[5]) for line in lines[1:]] == [
        (removed, "remove", "2", "live"), (added, "add", "3", "kept"), (built, "build", "2", "kept")]


def test_activate_rolls_back_and_forward_and_the_handle_follows_without_a_restart(history, capsys):
    root, _, (built, added, removed) = history
    handle = IndexHandle(root)
    assert report_ids(handle) == sorted([f"{A}-2022", f"{C}-2023"])
    assert index_main(["activate", built, "--index", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"activate: generation {built} is live (2 reports), replacing {removed}" in out
    assert f"served now, not before (1): {B}-2022" in out and f"served before, not now (1): {C}-2023" in out
    assert "the next build still takes in the 1 file(s) `index add` kept and leaves out the 1 report(s)" in out
    assert store.current_generation(root) == built
    assert report_ids(handle) == sorted([f"{A}-2022", f"{B}-2022"])     # the same handle, no restart
    done = kept.activate(root, removed)                                  # and forward again
    assert (done.previous, done.gained, done.lost) == (built, [f"{C}-2023"], [f"{B}-2022"])
    assert report_ids(handle) == sorted([f"{A}-2022", f"{C}-2023"])
    assert kept.activate(root, removed).previous == removed             # already live: nothing changes


@pytest.mark.parametrize("name, why", [("nonesuch", "There is no generation 'nonesuch'"),
                                       ("../ix", "There is no generation '../ix'")])
def test_activate_refuses_what_is_not_a_kept_generation(history, capsys, name, why):
    root, _, names = history
    assert index_main(["activate", name, "--index", str(root)]) == 1
    err = capsys.readouterr().err
    assert why in err and "python -m index generations" in err and "Nothing was changed." in err
    assert store.current_generation(root) == names[-1]


def test_activate_refuses_a_partial_generation_and_the_next_command_deletes_it(history, capsys):
    root, corpus, names = history
    partial = store.new_generation(root)                  # as a killed build leaves it
    (partial / store.INDEX_DIR).mkdir()
    assert [g.partial for g in kept.generations(root) if g.name == partial.name] == [True]
    assert index_main(["generations", "--index", str(root)]) == 0
    assert "partial (abandoned half-way" in capsys.readouterr().out
    assert index_main(["activate", partial.name, "--index", str(root)]) == 1
    assert "was never finished" in capsys.readouterr().err
    assert kept.activate(root, names[0]).generation == names[0]     # the next command …
    assert not partial.exists()                                      # … deletes it


def test_an_activate_during_a_build_waits_for_it(history, monkeypatch):
    root, _, (built, _, removed) = history
    done, said = [], []
    monkeypatch.setattr("index.lock._say", said.append)
    activating = threading.Thread(target=lambda: done.append(kept.activate(root, built, wait=60)))
    with held_by_another_thread(root, "build"):
        activating.start()
        while not said and activating.is_alive():
            activating.join(0.05)
        assert store.current_generation(root) == removed and not done    # it waits …
    activating.join(60)
    assert said[0].startswith(f"waiting for the build by process {os.getpid()} (started at ")
    assert done and store.current_generation(root) == built             # … then goes ahead


def test_clean_up_keeps_the_setting_s_number_of_generations_besides_the_live_one(history, monkeypatch):
    root, corpus, (built, added, removed) = history
    monkeypatch.setenv("REPORTS_KEEP_GENERATIONS", "1")
    assert store.clean_up(root, grace=3600) == []                   # within the grace period
    assert store.clean_up(root, grace=0) == [built]                 # the oldest replaced goes
    assert sorted(g.name for g in kept.generations(root)) == sorted([added, removed])
    monkeypatch.setenv("REPORTS_KEEP_GENERATIONS", "0")
    assert store.clean_up(root, grace=0) == [added]
    assert [g.name for g in kept.generations(root)] == [removed]
