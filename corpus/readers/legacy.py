"""Legacy Word (.doc) and WPS Writer (.wps) files: converted to .docx by LibreOffice, then read.

Portals still publish many reports as binary Word files (an OLE2 container). We do
not parse that format ourselves: when LibreOffice is installed (``soffice`` on PATH;
Debian's ``libreoffice-writer-nogui``), it converts the file to .docx in headless
mode, in a temporary folder with a profile of its own (so conversions in parallel
workers do not lock each other out), under a time limit; the .docx reader then
reads the result. A file named .doc that is really RTF (portals serve many) comes
here by its suffix and is converted the same way. Without LibreOffice the file is
refused with a sentence saying so, never dropped silently. A password-protected .docx (also OLE2) and other Office
files (.xls) are not ours: the .docx reader refuses them with their own reason.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from config.settings import current
from corpus.document import Document
from corpus.readers.registry import register
from corpus.report import NotAReport

LEGACY_SUFFIXES = (".doc", ".wps", ".dot")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def converter() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _sniff(data: bytes, suffix: str) -> bool:
    if not data.startswith(OLE2_MAGIC) or _ENCRYPTED in data:
        return False
    return _WORD_STREAM in data or suffix in LEGACY_SUFFIXES


def read(data: bytes) -> Document:
    """Convert with LibreOffice and read the .docx it writes; refuse when it cannot."""
    program = converter()
    if program is None:
        raise NotAReport("it is a legacy Word file (.doc/.wps) and no converter is installed; "
                         "install LibreOffice (Debian: libreoffice-writer-nogui) or save it as .docx or PDF.")
    with tempfile.TemporaryDirectory(prefix="report-convert-") as folder:
        folder = Path(folder)
        source, out = folder / "report.doc", folder / "out"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                   str(source)]
        _run(command)
        converted = out / "report.docx"
        if not converted.is_file():
            raise NotAReport("LibreOffice could not convert the legacy Word file (.doc/.wps); "
                             "it may be damaged.")
        from corpus.readers import docx  # here: importing it above would register it first

        return docx.read(converted.read_bytes())


def _run(command: list[str]) -> None:
    """Run the converter in its own process group, killed whole when it runs too long
    (soffice starts a second process that killing the first would leave behind). Its time
    is the settings' ``convert_seconds``."""
    seconds = current().convert_seconds
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        raise NotAReport(f"LibreOffice took longer than {seconds:g} s to convert the "
                         "legacy Word file; it was skipped.") from None
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)   # whatever of the group is still running
        except ProcessLookupError:
            pass
        process.wait()


register("legacy-word", _sniff, read, LEGACY_SUFFIXES)
