"""PDFium's page-object and text-page functions, called with plain integer handles.

A page can hold thousands of objects (one per glyph in some PDFs) and words. pypdfium2's
bindings wrap every returned handle in a ctypes pointer object; these prototypes bind the same
functions with ``void *`` arguments and keep the GIL, which halves the cost of walking a page.
"""

import ctypes
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

_HANDLE = ctypes.c_void_p
_INT = ctypes.c_int
_FLOAT_P = ctypes.POINTER(ctypes.c_float)
_DOUBLE_P = ctypes.POINTER(ctypes.c_double)


def _bind(function: Any, restype: Any, *argtypes: Any) -> Any:
    address = ctypes.cast(function, ctypes.c_void_p).value
    if address is None:
        raise ImportError("PDFium function has no address")
    return ctypes.PYFUNCTYPE(restype, *argtypes)(address)


count_objects = _bind(pdfium_c.FPDFPage_CountObjects, _INT, _HANDLE)
get_object = _bind(pdfium_c.FPDFPage_GetObject, _HANDLE, _HANDLE, _INT)
form_count_objects = _bind(pdfium_c.FPDFFormObj_CountObjects, _INT, _HANDLE)
form_get_object = _bind(pdfium_c.FPDFFormObj_GetObject, _HANDLE, _HANDLE, ctypes.c_ulong)
object_type = _bind(pdfium_c.FPDFPageObj_GetType, _INT, _HANDLE)
object_bounds = _bind(
    pdfium_c.FPDFPageObj_GetBounds, _INT, _HANDLE, _FLOAT_P, _FLOAT_P, _FLOAT_P, _FLOAT_P
)
path_count_segments = _bind(pdfium_c.FPDFPath_CountSegments, _INT, _HANDLE)
path_segment = _bind(pdfium_c.FPDFPath_GetPathSegment, _HANDLE, _HANDLE, _INT)
segment_type = _bind(pdfium_c.FPDFPathSegment_GetType, _INT, _HANDLE)
#: The rectangles covering a range of characters (one per text object it crosses), kept in the
#: text page for :data:`text_rect`; characters without area add nothing.
text_count_rects = _bind(pdfium_c.FPDFText_CountRects, _INT, _HANDLE, _INT, _INT)
#: One of those rectangles, as left, top, right, bottom in points from the bottom-left.
text_rect = _bind(
    pdfium_c.FPDFText_GetRect, _INT, _HANDLE, _INT, _DOUBLE_P, _DOUBLE_P, _DOUBLE_P, _DOUBLE_P
)

TEXT = int(pdfium_c.FPDF_PAGEOBJ_TEXT)
PATH = int(pdfium_c.FPDF_PAGEOBJ_PATH)
IMAGE = int(pdfium_c.FPDF_PAGEOBJ_IMAGE)
FORM = int(pdfium_c.FPDF_PAGEOBJ_FORM)
BEZIER = int(pdfium_c.FPDF_SEGMENT_BEZIERTO)


def handle(wrapped: pdfium.PdfPage | pdfium.PdfTextPage) -> int:
    """The plain integer handle of a pypdfium2 page or text page, for the functions above."""
    return int(ctypes.cast(wrapped.raw, ctypes.c_void_p).value or 0)
