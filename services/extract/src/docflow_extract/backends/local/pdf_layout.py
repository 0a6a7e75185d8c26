"""A cheap look at a PDF page's objects: images, and ruling lines that suggest a table.

Table extraction costs about seventy times more than reading a text layer, so it runs only on
pages whose drawing shows table structure: horizontal and vertical rules, cell boxes, or one
path drawing a grid. Text objects, the bulk of most pages, are skipped after one call each.
"""

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from docflow_extract.backends.local import pdfium_calls as calls

_MAX_OBJECTS = 20_000  # a page drawn from more objects is looked at only this far
_MAX_SEGMENTS = 400
_RULE_THICKNESS = 2.5  # points
_RULE_LENGTH = 15.0
_BOX_MIN_WIDTH = 10.0
_BOX_MIN_HEIGHT = 8.0
_GRID_MIN_SEGMENTS = 8
_GRID_MIN_SIDE = 40.0
_MIN_HORIZONTAL_RULES = 3
_MIN_VERTICAL_RULES = 3
_MIN_BOXES = 4
# Fewer drawn paths than this, and no image, is decoration (a rule, a border), not content.
_MIN_CONTENT_PATHS = 50
# Logos, signatures and invisible one-pixel images are smaller than this share of the page.
_MIN_CONTENT_IMAGE_SHARE = 0.1


#: A rectangle in page space, in points: left, bottom, right, top.
Box = tuple[float, float, float, float]


@dataclass
class PageLayout:
    largest_image_share: float = 0.0  # of the page area
    #: Where the page's images are drawn, also those one form XObject deep.
    image_boxes: list[Box] = field(default_factory=list)
    paths: int = 0
    horizontal_rules: int = 0
    vertical_rules: int = 0
    boxes: int = 0
    grids: int = 0

    @property
    def has_table_structure(self) -> bool:
        ruled = (
            self.horizontal_rules >= _MIN_HORIZONTAL_RULES
            and self.vertical_rules >= _MIN_VERTICAL_RULES
        )
        return ruled or self.boxes >= _MIN_BOXES or self.grids > 0

    @property
    def has_visible_content(self) -> bool:
        """Whether the page draws something OCR could read: an image or many paths."""
        return (
            self.largest_image_share >= _MIN_CONTENT_IMAGE_SHARE or self.paths >= _MIN_CONTENT_PATHS
        )


@dataclass(frozen=True)
class _Bounds:
    width: float
    height: float


def page_layout(page: pdfium.PdfPage) -> PageLayout:
    """Count what a page draws, looking into form XObjects one level deep."""
    layout = PageLayout()
    page_area = max(float(page.get_width()) * float(page.get_height()), 1.0)
    handle = calls.handle(page)
    total = min(int(calls.count_objects(handle)), _MAX_OBJECTS)
    get_object, object_type, text = calls.get_object, calls.object_type, calls.TEXT
    for index in range(total):
        obj = get_object(handle, index)
        kind = object_type(obj)
        if kind != text:
            _inspect(obj, kind, layout, page_area)
    return layout


def _inspect(obj: int, kind: int, layout: PageLayout, page_area: float) -> None:
    if kind == calls.PATH:
        _inspect_path(obj, layout)
    elif kind == calls.IMAGE:
        layout.image_boxes.append(_box(obj))
        _inspect_image(obj, layout, page_area)
    elif kind == calls.FORM:
        _inspect_form(obj, layout, page_area)


def _inspect_form(form: int, layout: PageLayout, page_area: float) -> None:
    total = min(int(calls.form_count_objects(form)), _MAX_OBJECTS)
    for index in range(total):
        obj = calls.form_get_object(form, index)
        kind = calls.object_type(obj)
        if kind == calls.PATH:
            _inspect_path(obj, layout)
        elif kind == calls.IMAGE:
            layout.image_boxes.append(_box(obj))  # PDFium gives it in page space already
            _inspect_image(obj, layout, page_area)


def _inspect_image(obj: int, layout: PageLayout, page_area: float) -> None:
    bounds = _bounds(obj)
    share = bounds.width * bounds.height / page_area
    layout.largest_image_share = max(layout.largest_image_share, min(share, 1.0))


def _inspect_path(obj: int, layout: PageLayout) -> None:
    layout.paths += 1
    bounds = _bounds(obj)
    if bounds.height <= _RULE_THICKNESS and bounds.width >= _RULE_LENGTH:
        layout.horizontal_rules += 1
    elif bounds.width <= _RULE_THICKNESS and bounds.height >= _RULE_LENGTH:
        layout.vertical_rules += 1
    elif _is_grid(obj, bounds):
        layout.grids += 1
    elif bounds.width >= _BOX_MIN_WIDTH and bounds.height >= _BOX_MIN_HEIGHT:
        layout.boxes += _is_box(obj)


def _is_grid(obj: int, bounds: _Bounds) -> bool:
    """One path of many straight segments spanning an area: a drawn table grid."""
    if bounds.width < _GRID_MIN_SIDE or bounds.height < _GRID_MIN_SIDE:
        return False
    segments = int(calls.path_count_segments(obj))
    if segments < _GRID_MIN_SEGMENTS or segments > _MAX_SEGMENTS:
        return False
    return _straight(obj, segments)


def _is_box(obj: int) -> int:
    """1 for a rectangle (four or five straight segments), else 0."""
    segments = int(calls.path_count_segments(obj))
    return int(4 <= segments <= 5 and _straight(obj, segments))


def _straight(obj: int, segments: int) -> bool:
    return all(
        calls.segment_type(calls.path_segment(obj, index)) != calls.BEZIER
        for index in range(segments)
    )


def _box(obj: int) -> Box:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not calls.object_bounds(obj, left, bottom, right, top):
        return (0.0, 0.0, 0.0, 0.0)
    return (left.value, bottom.value, right.value, top.value)


def _bounds(obj: int) -> _Bounds:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not calls.object_bounds(obj, left, bottom, right, top):
        return _Bounds(0.0, 0.0)
    return _Bounds(abs(right.value - left.value), abs(top.value - bottom.value))
