"""OCR with PaddleOCR's PP-OCR models (text detection, orientation, recognition) run by ONNX
Runtime through rapidocr-onnxruntime, whose wheel carries the models: nothing is downloaded.

Where Tesseract lays out a page and reads words, PP-OCR finds text lines as quadrilaterals
and reads each whole, with one score. docflow's lines are those quadrilaterals' axis-aligned
boxes with the score as confidence, in reading order. The recogniser's CTC columns place
each character on the line: with the page's own pixel columns they put back the spaces it
often leaves out (between words, and between a date and its time) and measure each word's box
(:func:`_glyph_words`).
"""

import bisect
import functools
import importlib
import itertools
import re
import statistics
import unicodedata
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from pydantic import TypeAdapter, ValidationError

from docflow_events.v1 import Line, Word
from docflow_extract.backends.errors import ExtractionFailedError
from docflow_extract.backends.local.layout import box_of
from docflow_extract.backends.local.ocr import OcrText

# The pool runs several children at once: each runs its models on one thread.
_THREADS = 1
# rapidocr's own largest side (max_side_len): it would shrink a larger page to this anyway,
# and shrinking it first keeps a large photo's copies (RGB, BGR) out of the child's memory.
_MAX_SIDE = 2000
# rapidocr scales a page's short side up to 736 pixels for its detector, and a strip far
# longer than it is wide up much further (a 2000 by 4 pixel page would become gigabytes): a
# page is padded with white to at most this ratio, which bounds the detector's input near
# 2000 by 2000 pixels and its memory with it.
_MAX_RATIO = 8
# A space goes between two characters whose centres are further apart than this many times
# the line's median centre distance (its character pitch), i.e. whose gap is over three
# quarters of a character: chosen on development receipts, where the spaces the recogniser
# leaves out measure 1.8-2.2 pitches and CTC's jitter inside words reaches 1.6-1.7.
_SPACE_PITCHES = 1.75
# The space of proportional print (shop names, addresses) is narrower than a character, and
# the recogniser's columns do not follow the ink closely enough to show it: across many of the
# spaces it left out on development receipts' company and address lines its centres stood
# 0.8-1.45 pitches apart, as they do inside words. The page's pixels show them: a space also
# goes where a run of ink-free pixel columns wider than this share of the print's height lies
# between two characters (letters of one word stand about 0.1 apart, those spaces 0.4-0.6)...
_INK_GAP_HEIGHTS = 0.35
# ...where the ink either side of that gap stands further apart than this many pitches: a
# fixed-pitch cell leaves as wide a margin beside a narrow character (I, l, 1) inside a word,
# but keeps its ink on the pitch...
_INK_GAP_PITCHES = 1.1
# ...and where the recogniser's centres either side stand further apart than this many
# pitches. Measured on the development receipts' company and address lines against their gold
# values: 637 of the gold's 695 spaces found (491 with the centres alone) and 5 put where the
# gold has none (4). Without the second bar 74 more lines of these receipts changed, nearly
# all split inside a word ("ADJUSTME NT"); without the third, 165 ("T OTAL").
_INK_GAP_STEP_PITCHES = 1.1
# Digits keep one width whatever their shape (tabular figures), so a narrow one (1, 3, 7)
# leaves a margin as wide as a space inside a number: the pixels split "17.00", "360" and
# "5.83" on development receipts. A number's characters are parted by the centres alone.
_NUMBER_CHARACTERS = frozenset("0123456789.,:/-")
# Print sets no space before these, nor after the opening ones, whatever margin a fixed-pitch
# cell leaves beside them ("TOTAL :", "( 3)" on development receipts).
_CLOSING = frozenset(".,:;!?%)]}")
_OPENING = frozenset("([{")
# The print's rows: those holding at least this share of the inkiest row's ink pixels. A
# neighbouring line's descenders caught at the box's edge hold little, and are left out.
_PRINT_ROW_SHARE = 0.25
# rapidocr turns a line this much taller than wide on its side: its characters' positions run
# down the page, and the line keeps the estimated words.
_UPRIGHT = 1.5
_WORD = re.compile(r"\S+")
_Point = tuple[float, float]
_Quad = tuple[_Point, _Point, _Point, _Point]
# What rapidocr answers per line: quadrilateral (pixels), text, score 0-1; with word boxes
# also each character's quadrilateral, the characters and their scores.
_FOUND = TypeAdapter(
    list[tuple[_Quad, str, float] | tuple[_Quad, str, float, list[_Quad], list[str], list[float]]]
)


@dataclass(frozen=True)
class _Glyph:
    """One character the recogniser placed on its line, with its extent in pixels."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class _Gap:
    """Ink-free pixel columns between two runs of ink on a line, in page pixels."""

    middle: float
    width: int
    apart: float  # between the centres of the runs of ink either side


@dataclass(frozen=True)
class _Ink:
    """A line's print seen from above: the gaps between its runs of ink, left to right, and
    the height of its print."""

    gaps: tuple[_Gap, ...]
    height: int

    @functools.cached_property
    def _middles(self) -> list[float]:
        return [gap.middle for gap in self.gaps]

    def parts(self, left: float, right: float, pitch: float) -> bool:
        """Whether the print between two characters centred at ``left`` and ``right``, on a
        line of ``pitch``, holds a gap as wide as a space (:data:`_INK_GAP_HEIGHTS`,
        :data:`_INK_GAP_PITCHES`)."""
        middles = self._middles
        between = self.gaps[bisect.bisect_right(middles, left) : bisect.bisect_left(middles, right)]
        if not between:
            return False
        widest = max(between, key=lambda gap: (gap.width, gap.apart))
        return (
            widest.width > _INK_GAP_HEIGHTS * self.height
            and widest.apart > _INK_GAP_PITCHES * pitch
        )


@dataclass(frozen=True)
class _Segment:
    """One line PP-OCR read: its text, score and axis-aligned extent in pixels."""

    text: str
    score: float
    left: float
    top: float
    right: float
    bottom: float
    # The characters in reading order grouped into words; empty when not measured.
    words: tuple[tuple[_Glyph, ...], ...] = ()

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


class RapidOcrEngine:
    """PP-OCR through rapidocr-onnxruntime; models loaded on first use, one per process."""

    # PP-OCR scales the page to its detector and each line to its recogniser itself.
    rereads_small_print = False

    def __init__(self) -> None:
        self._ocr: _Rapidocr | None = None

    def recognize(self, image: Image.Image, ppi: int | None = None) -> OcrText:
        """Text (a row's lines joined by spaces), mean line score (0-100) and lines of a page."""
        del ppi  # PP-OCR sizes by pixels alone
        page = _within_max_side(image if image.mode in {"L", "RGB"} else image.convert("RGB"))
        answer = self._ensure_ocr().read(_bgr(_padded(page)))
        rows = reading_rows(_segments(answer, np.asarray(page.convert("L"))))
        lines = [_row_line(row, page.width, page.height) for row in rows]
        text = "\n".join(line.text for line in lines)
        segments = [segment for row in rows for segment in row]
        return OcrText(text=text, confidence=_mean_score(segments), lines=lines)

    def close(self) -> None:
        self._ocr = None

    def _ensure_ocr(self) -> "_Rapidocr":
        if self._ocr is None:
            self._ocr = _Rapidocr()
        return self._ocr


class _Rapidocr:
    """rapidocr's engine with its models loaded, every ONNX Runtime session on one thread,
    and the errors it raises, in docflow's terms."""

    def __init__(self) -> None:
        # Imported here: children fork from a server that imports every parser, and OpenCV
        # and ONNX Runtime (a few hundred MiB of address space) stay out of it unless chosen.
        try:
            _module("cv2").setNumThreads(_THREADS)
            package = _module("rapidocr_onnxruntime")
            # rapidocr hands these to each model's onnxruntime SessionOptions.
            self._ocr = package.RapidOCR(
                intra_op_num_threads=_THREADS, inter_op_num_threads=_THREADS
            )
        except (ImportError, OSError) as exc:
            raise ExtractionFailedError(
                f"cannot start the rapidocr OCR engine ({type(exc).__name__}): install "
                "rapidocr-onnxruntime or set DOCFLOW_EXTRACT_OCR_ENGINE=tesseract"
            ) from exc
        self._too_small: tuple[type[Exception], ...] = (
            _module("rapidocr_onnxruntime.utils.process_img").ResizeImgError,
            _module("rapidocr_onnxruntime.ch_ppocr_det.utils").ResizeImgError,
        )
        self._runtime_error: type[Exception] = _module(
            "rapidocr_onnxruntime.utils.infer_engine"
        ).ONNXRuntimeError
        self._opencv_error: type[Exception] = _module("cv2").error

    def read(self, pixels: NDArray[np.uint8]) -> object:
        """rapidocr's answer for one page: its lines, or None when it found none."""
        try:
            # Word boxes come with the recogniser's other settings at rapidocr's defaults
            # (box_thresh 0.5, unclip_ratio 1.6, text_score 0.5), those of its config.
            answer, _ = self._ocr(pixels, return_word_box=True)
        except self._too_small:
            return None  # a page a few pixels thin, scaled to nothing: no line of text fits
        except self._runtime_error as exc:
            if "bad_alloc" in str(exc):
                # ONNX Runtime reports the address-space limit as a failed run: the child
                # answers "out of memory", as for any parser that passes the limit.
                raise MemoryError from exc
            raise ExtractionFailedError("PP-OCR could not read the page (ONNX Runtime)") from exc
        except self._opencv_error as exc:
            if "Insufficient memory" in str(exc):
                raise MemoryError from exc
            raise ExtractionFailedError("PP-OCR could not read the page (OpenCV)") from exc
        return cast(object, answer)


def _module(name: str) -> Any:
    """An untyped library module, imported when first needed."""
    return importlib.import_module(name)


def _within_max_side(image: Image.Image) -> Image.Image:
    scale = _MAX_SIDE / max(image.width, image.height, 1)
    if scale >= 1:
        return image
    size = (max(round(image.width * scale), 1), max(round(image.height * scale), 1))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=3.0)


def _padded(image: Image.Image) -> Image.Image:
    """``image`` with white added right or below, to at most ``_MAX_RATIO`` to 1; the boxes of
    what is read keep their pixels, measured from the top-left corner."""
    long, short = max(image.size), min(image.size)
    if long <= short * _MAX_RATIO:
        return image
    wide = image.width > image.height
    size = (image.width, -(-long // _MAX_RATIO)) if wide else (-(-long // _MAX_RATIO), image.height)
    canvas = Image.new(image.mode, size, "white")
    canvas.paste(image, (0, 0))
    return canvas


def _bgr(image: Image.Image) -> NDArray[np.uint8]:
    """A gray or RGB page as OpenCV wants it: 8-bit gray, or colour as blue-green-red."""
    pixels = np.asarray(image)
    return pixels if image.mode == "L" else np.ascontiguousarray(pixels[:, :, ::-1])


def _segments(answer: object, gray: NDArray[np.uint8] | None = None) -> list[_Segment]:
    """rapidocr's lines (None when it found none), their text in compatibility form: the
    recogniser was trained on Chinese and Latin print and writes some punctuation full-width.
    ``gray`` is the page it read, in gray: its pixels show spaces the recogniser left out."""
    try:
        found = _FOUND.validate_python(answer or [])
    except ValidationError as exc:
        raise ExtractionFailedError("rapidocr answered in an unexpected shape") from exc
    segments = []
    for entry in found:
        quad, text, score = entry[0], entry[1], entry[2]
        extent = _extent(quad)
        left, top, right, bottom = extent
        upright = bottom - top >= _UPRIGHT * (right - left)
        glyphs = _glyphs(entry[3], entry[4]) if len(entry) == 6 and not upright else ()
        ink = _ink(gray, extent) if glyphs and gray is not None else None
        words = tuple(tuple(word) for word in _glyph_words(glyphs, ink))
        clean = _spaced(words) if words else unicodedata.normalize("NFKC", text).strip()
        if clean:
            segments.append(_Segment(clean, score, left, top, right, bottom, words))
    return segments


def _extent(quad: _Quad) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in quad], [y for _, y in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _glyphs(quads: list[_Quad], chars: list[str]) -> tuple[_Glyph, ...]:
    """The characters with their extents, in compatibility form; none when rapidocr's boxes
    and characters do not pair up."""
    if len(quads) != len(chars):
        return ()
    pairs = zip(quads, chars, strict=True)
    glyphs = (_Glyph(unicodedata.normalize("NFKC", c), *_extent(q)) for q, c in pairs)
    return tuple(glyph for glyph in glyphs if glyph.text)


def _glyph_words(glyphs: tuple[_Glyph, ...], ink: _Ink | None = None) -> list[list[_Glyph]]:
    """The characters grouped into words: a word ends at a space the recogniser wrote, where
    the next character starts clearly further on than the line's pitch, or where the line's
    ``ink`` shows a space between them that the recogniser's pitch hides."""
    centres = [glyph.centre for glyph in glyphs]
    steps = [abs(b - a) for a, b in itertools.pairwise(centres)]
    pitch = statistics.median(steps) if steps else 0.0
    words: list[list[_Glyph]] = [[]]
    for index, glyph in enumerate(glyphs):
        if index and words[-1] and _apart(glyphs[index - 1], glyph, pitch, ink):
            words.append([])
        if glyph.text.isspace():
            words.append([])
        else:
            words[-1].append(glyph)
    return [word for word in words if word]


def _apart(before: _Glyph, after: _Glyph, pitch: float, ink: _Ink | None) -> bool:
    """Whether two neighbouring characters on a line of ``pitch`` stand in two words."""
    step = abs(after.centre - before.centre)
    if step > _SPACE_PITCHES * pitch:
        return True
    return (
        ink is not None
        and step > _INK_GAP_STEP_PITCHES * pitch
        and not {before.text, after.text} <= _NUMBER_CHARACTERS
        and after.text not in _CLOSING
        and before.text not in _OPENING
        and ink.parts(min(before.centre, after.centre), max(before.centre, after.centre), pitch)
    )


def _ink(gray: NDArray[np.uint8], extent: tuple[float, float, float, float]) -> _Ink | None:
    """The print of the line within ``extent`` of the page; None where its box holds no
    contrast, or no gap between runs of ink."""
    left, top, right, bottom = (max(round(edge), 0) for edge in extent)
    box = gray[top:bottom, left:right]
    if box.size == 0 or box.min() == box.max():
        return None
    ink = box <= _otsu_threshold(box)
    per_row = ink.sum(axis=1)
    rows = np.flatnonzero(per_row >= _PRINT_ROW_SHARE * per_row.max())
    columns = ink[rows[0] : rows[-1] + 1].any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], columns.astype(np.int8), [0]))))
    starts, ends = edges[::2] + left, edges[1::2] + left
    runs = [(int(start), int(end)) for start, end in zip(starts, ends, strict=True)]
    gaps = tuple(
        _Gap(
            middle=(before[1] + after[0]) / 2,
            width=after[0] - before[1],
            apart=(sum(after) - sum(before)) / 2,
        )
        for before, after in itertools.pairwise(runs)
    )
    return _Ink(gaps=gaps, height=int(rows[-1] - rows[0] + 1)) if gaps else None


def _otsu_threshold(pixels: NDArray[np.uint8]) -> float:
    """The gray level that parts ink from paper best (Otsu's), ink at or under it: OpenCV's,
    loaded with PP-OCR by the time a line is measured."""
    cv2 = _module("cv2")
    threshold, _ = cv2.threshold(np.ascontiguousarray(pixels), 0, 255, cv2.THRESH_OTSU)
    return float(threshold)


def _spaced(words: tuple[tuple[_Glyph, ...], ...]) -> str:
    return " ".join("".join(g.text for g in word).strip() for word in words)


def reading_rows(segments: list[_Segment]) -> list[list[_Segment]]:
    """Rows top to bottom, each left to right. A line joins the row above when its middle is
    above the bottom of that row's first line: a photographed receipt is seldom level, and the
    two halves of "TOTAL ... 33.90" are read as two lines whose tops differ by a few pixels."""
    rows: list[list[_Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.left)):
        if rows and segment.middle < rows[-1][0].bottom:
            rows[-1].append(segment)
        else:
            rows.append([segment])
    return [sorted(row, key=lambda s: s.left) for row in rows]


def _row_line(row: list[_Segment], width: int, height: int) -> Line:
    """One line per row, as Tesseract reads a printed line: PP-OCR reads "TOTAL" and "33.90"
    at a row's two ends as two lines, and a label belongs with its value. The row's words keep
    their own boxes and their segment's score; the line's confidence is their mean, as
    Tesseract's is its words' mean."""
    scores = [round(min(max(segment.score, 0.0), 1.0), 3) for segment in row]
    extent = (
        min(s.left for s in row),
        min(s.top for s in row),
        max(s.right for s in row),
        max(s.bottom for s in row),
    )
    return Line(
        text=" ".join(segment.text for segment in row),
        confidence=round(statistics.fmean(scores), 3),
        box=box_of(extent, width, height),
        words=[
            w for s, score in zip(row, scores, strict=True) for w in _words(s, score, width, height)
        ],
    )


def _words(segment: _Segment, score: float, width: int, height: int) -> list[Word]:
    """The line's words, measured from its characters' boxes where rapidocr gave them, else
    estimated; each carries its line's score."""
    if segment.words:
        return _measured_words(segment, score, width, height)
    return _estimated_words(segment, score, width, height)


def _measured_words(segment: _Segment, score: float, width: int, height: int) -> list[Word]:
    """Each word boxed by its characters' extents, kept within its line's box."""
    words = []
    for word in segment.words:
        left = max(segment.left, min(glyph.left for glyph in word))
        right = max(left, min(segment.right, max(glyph.right for glyph in word)))
        top = max(segment.top, min(glyph.top for glyph in word))
        bottom = max(top, min(segment.bottom, max(glyph.bottom for glyph in word)))
        text = "".join(glyph.text for glyph in word).strip()
        box = box_of((left, top, right, bottom), width, height)
        words.append(Word(text=text, box=box, confidence=score))
    return words


def _estimated_words(segment: _Segment, score: float, width: int, height: int) -> list[Word]:
    """The line's text split on spaces, each word boxed by its share of the line's characters:
    an estimate, as PP-OCR reads a line whole (proportional print and spacing shift it a
    little). Each word carries its line's score."""
    per_char = (segment.right - segment.left) / max(len(segment.text), 1)
    words = []
    for match in _WORD.finditer(segment.text):
        left, right = (segment.left + offset * per_char for offset in match.span())
        extent = (left, segment.top, right, segment.bottom)
        words.append(Word(text=match.group(), box=box_of(extent, width, height), confidence=score))
    return words


def _mean_score(segments: list[_Segment]) -> float:
    """The mean line score as a percentage (Tesseract's scale); 0 for a page without text."""
    if not segments:
        return 0.0
    return round(min(max(sum(s.score for s in segments) / len(segments), 0.0), 1.0) * 100, 2)
