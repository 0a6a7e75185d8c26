"""The real media type of an upload, from its bytes: docflow-text's sniffer, whose refusals
are the client's ``400`` (empty) or ``415`` (unsupported) here."""

from http import HTTPStatus

from docflow_ingest.core.problems import ProblemError
from docflow_text import sniff as sniffing
from docflow_text.sniff import (
    ACCEPTED,
    BMP,
    DOCX,
    EML,
    EPUB,
    GIF,
    HEIC,
    HTML,
    JPEG,
    MSG,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    RTF,
    TEXT,
    TIFF,
    WEBP,
    XLSX,
)

__all__ = [
    "BMP", "DOCX", "EML", "EPUB", "GIF", "HEIC", "HTML", "JPEG", "MSG", "ODS", "ODT", "PDF",
    "PNG", "PPTX", "RTF", "TEXT", "TIFF", "WEBP", "XLSX", "EmptyContentError", "Sniffer",
    "UnsupportedMediaTypeError",
]  # fmt: skip


class EmptyContentError(ProblemError):
    def __init__(self) -> None:
        super().__init__(HTTPStatus.BAD_REQUEST, "empty-content", "the document is empty")


class UnsupportedMediaTypeError(ProblemError):
    def __init__(self, what: str) -> None:
        super().__init__(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            f"{what}; accepted: {ACCEPTED}",
        )


class Sniffer(sniffing.Sniffer):
    """Feed every chunk, then ask :meth:`media_type`; refusals are problems for the client."""

    def feed(self, chunk: bytes) -> None:
        try:
            super().feed(chunk)
        except sniffing.UnsupportedContentError as exc:
            raise UnsupportedMediaTypeError(str(exc)) from None

    def media_type(self) -> str:
        try:
            return super().media_type()
        except sniffing.EmptyContentError:
            raise EmptyContentError from None
        except sniffing.UnsupportedContentError as exc:
            raise UnsupportedMediaTypeError(str(exc)) from None
