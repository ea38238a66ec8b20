"""The OCR engine: RapidOCR's PP-OCR models on onnxruntime, shipped inside the wheel.

`rapidocr-onnxruntime` carries its three models (text detection, direction, and
recognition of Chinese and digits) in the package itself, so nothing is fetched at
run time. It was chosen over Debian's tesseract (``chi_sim``) by measurement on our
own scanned reports (README, "Scanned reports"; ``python -m bench.ocr``).

Two calls: `read_page` finds and reads every line of text on a page picture (a box and
its text for each), and `read_lines` reads given crops that each hold one line (a table
cell's content) — the second reading every figure gets. One engine per thread: each
uses one core (onnxruntime's own thread pools are set to one thread), and pages are
read in parallel by running several threads (`corpus.ocr.pages`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

VERSION = "rapidocr-onnxruntime 1.4.4 (PP-OCRv4)"   # part of every cache key: a new engine reads anew

_local = threading.local()


@dataclass
class Box:
    """A line of text found on a page: its bounding rectangle in pixels and its reading."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _engine():
    engine = getattr(_local, "engine", None)
    if engine is None:
        from rapidocr_onnxruntime import RapidOCR

        # One thread each: parallelism comes from reading pages side by side. A low
        # text_score keeps weak readings (a faint lone digit): every figure is checked anyway.
        engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, text_score=0.3)
        _local.engine = engine
    return engine


def read_page(image: np.ndarray) -> list[Box]:
    """Every line of text on the picture (an RGB array), each as a `Box`."""
    found, _ = _engine()(np.ascontiguousarray(image[:, :, ::-1]), text_score=0.3)   # the models want BGR
    boxes = []
    for points, text, score in found or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return boxes


def read_lines(crops: list[np.ndarray]) -> list[str]:
    """The text of each crop (RGB arrays), read as one line (no detection, no turning)."""
    if not crops:
        return []
    found, _ = _engine().text_rec([np.ascontiguousarray(crop[:, :, ::-1]) for crop in crops])
    return [text for text, _score in found]
