"""Reading pictures of report pages by OCR: scans, report images, pasted-in tables.

Readers hand the pictures they meet — an image-only PDF page, a picture on a typeset
page, an ``<img>`` of a portal article, a .jpg/.png file — to `read_pictures`
(`corpus.ocr.session`), and get back each picture's lines and tables in reading
order (`corpus.ocr.page.Item`), which they place where the picture stood. The parser
then keeps a figure read this way only where its two readings or the table's
arithmetic confirm it (`corpus.ocr.confirm`).

Cost, bounded per file by the settings table (`config.settings`): at most
``OCR_MAX_PAGES`` pictures (a file with more is refused, saying so), ``OCR_SECONDS`` of
OCR (past it the file is refused) and ``OCR_MEMORY_MB`` of memory beyond a parse's; pictures are read side by side on every core (`WORKERS`
threads). What OCR read is kept by the file's
sha256 in a cache folder (`corpus.ocr.cache`; the index keeps one in its folder), so
reading the same file again costs nothing.
"""
from __future__ import annotations

import os

DPI = 200               # a PDF page is drawn at this resolution for OCR
WORKERS = max(1, os.cpu_count() or 1)
MIN_PICTURE_SHARE = 0.15   # a picture covering less of a typeset page is decoration, not text
