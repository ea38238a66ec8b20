"""Legacy Word (.doc, .wps): read through LibreOffice when it is installed (scripts/test
installs it), refused with the reason when it is not, when the file is damaged, or when
the conversion runs too long."""
from __future__ import annotations

import functools
import os
import time
from pathlib import Path

import pytest

from corpus.parse import parse_bytes
from corpus.readers import legacy
from madeup import files, spanned
from tests import portal

pytestmark = pytest.mark.slow

NO_CONVERTER = ("It is a legacy Word file (.doc/.wps) and no converter is installed; install "
                "LibreOffice (Debian: libreoffice-writer-nogui) or save it as .docx or PDF.")
DAMAGED = "LibreOffice could not convert the legacy Word file (.doc/.wps); it may be damaged."


@functools.cache
def made_up_doc() -> bytes:
    return portal.legacy_doc(files.to_docx(spanned.made_up_report()))


@pytest.mark.parametrize("suffix", [".doc", ".wps", ""])
def test_a_doc_reads_like_the_docx_it_was_saved_from(suffix):
    report = spanned.made_up_report()
    data = made_up_doc()
    assert data.startswith(legacy.OLE2_MAGIC)
    from_doc = parse_bytes(data, "report" + suffix, suffix)
    from_docx = parse_bytes(files.to_docx(report), "report.docx", ".docx")
    assert (from_doc.agency, from_doc.year, from_doc.published) == (report.agency, 2023, "2024-01-18")
    assert from_doc.figures == from_docx.figures == spanned.expected_figures(report)
    assert [s.key for s in from_doc.sections] == [s.key for s in from_docx.sections]
    assert all(check.ok for check in from_doc.checks)


def test_a_doc_that_is_really_rtf_is_read_through_libreoffice_too():
    """Portals often serve RTF named .doc; no reader sniffs RTF, so the suffix sends it here."""
    report = spanned.made_up_report()
    rtf = portal.legacy_doc(files.to_docx(report), "rtf")
    assert rtf.startswith(b"{\\rtf")
    parsed = parse_bytes(rtf, "report.doc", ".doc")
    assert (parsed.agency, parsed.year) == (report.agency, 2023)
    assert parsed.figures == spanned.expected_figures(report)


def test_without_libreoffice_a_doc_is_refused_with_the_reason(monkeypatch, tmp_path):
    data = made_up_doc()
    monkeypatch.setenv("PATH", str(tmp_path))          # no soffice, no libreoffice
    assert legacy.converter() is None
    refusal = parse_bytes(data, "report.doc", ".doc")
    assert refusal.to_json() == {"source": "report.doc", "ok": False, "error": NO_CONVERTER}


def test_a_damaged_doc_is_refused():
    data = legacy.OLE2_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(3000)
    assert parse_bytes(data, "bad.doc", ".doc").error == DAMAGED


def test_a_conversion_that_hangs_is_stopped(monkeypatch, tmp_path):
    """A converter still running after the settings' convert_seconds is killed with its whole group.

    The stand-in converter writes nothing and exits after 30 s: let run, it would end in
    the could-not-convert refusal, not in the time-limit one."""
    data = made_up_doc()          # made with the real LibreOffice, before the slow one is on PATH
    marker = tmp_path / "child.pid"
    slow = tmp_path / "soffice"
    slow.write_text(f"#!/bin/sh\nsleep 30 &\necho $! > {marker}\nwait\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("REPORTS_CONVERT_SECONDS", "0.5")
    refusal = parse_bytes(data, "slow.doc", ".doc")
    assert refusal.error == ("LibreOffice took longer than 0.5 s to convert the legacy Word file; "
                             "it was skipped.")
    child = int(marker.read_text())
    time.sleep(0.1)
    assert not running(child)    # the converter's own child is gone too


def running(pid: int) -> bool:
    """Whether a process runs (a killed one may linger as a zombie until reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_other_office_files_are_left_to_the_docx_reader():
    spreadsheet = legacy.OLE2_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1000)
    encrypted = legacy.OLE2_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(1000)
    assert not legacy._sniff(spreadsheet, ".xls") and not legacy._sniff(encrypted, ".docx")
    assert legacy._sniff(spreadsheet, ".wps")        # WPS/Works files are named, not always sniffed
