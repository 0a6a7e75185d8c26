"""Receive an upload: stream the body into the blob store, sniffing and counting as it passes.

Nothing is spooled: each chunk the server reads goes to the blob store (on a worker thread,
the store's API being blocking) and through the sniffer. The size limit is enforced on the
running count, so an oversized body is cut off at the limit and leaves nothing behind.

Two shapes are accepted: ``multipart/form-data`` with the document in the field ``file``
(parsed by python-multipart's streaming parser), or the document as the raw body, whatever
``Content-Type`` says.
"""

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote

import anyio.from_thread
import anyio.to_thread
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from docflow_events.v1 import BlobRef
from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.sniff import Sniffer
from docflow_runtime.blobstore import BlobStore, BlobTooLargeError
from docflow_text.filenames import clean_filename

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FILE_FIELD: Final = "file"
MAX_PARTS: Final = 16
MAX_PART_HEADER_BYTES: Final = 8 * 1024
_FILENAME_STAR: Final = re.compile(r"filename\*\s*=\s*([\w-]+)'[^']*'([^;\s]+)", re.IGNORECASE)


class UploadTooLargeError(ProblemError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "upload-too-large",
            f"the document is larger than the limit of {limit} bytes",
        )


class MalformedUploadError(ProblemError):
    def __init__(self, detail: str) -> None:
        super().__init__(HTTPStatus.BAD_REQUEST, "malformed-upload", detail)


class InvalidUploadFieldsError(ProblemError):
    def __init__(self, detail: str) -> None:
        super().__init__(HTTPStatus.UNPROCESSABLE_ENTITY, "validation", detail)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_field_bytes: int

    @property
    def max_multipart_body(self) -> int:
        """The most a multipart body can hold beside the document: fields and part headers."""
        return self.max_bytes + MAX_PARTS * (self.max_field_bytes + MAX_PART_HEADER_BYTES)


@dataclass(frozen=True)
class ReceivedUpload:
    content: BlobRef
    media_type: str
    filename: str | None
    fields: dict[str, str]


def filename_from_disposition(value: str | None) -> str | None:
    """``filename*`` (RFC 6266, percent-encoded) wins over ``filename``."""
    if not value:
        return None
    extended = _FILENAME_STAR.search(value)
    if extended:
        charset, encoded = extended.groups()
        try:
            return unquote(encoded, encoding=charset, errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    _, options = parse_options_header(value)
    plain = options.get(b"filename")
    return _header_text(plain) if plain is not None else None


def _header_text(raw: bytes) -> str:
    """Browsers send UTF-8 names in multipart headers (RFC 7578); HTTP's default is Latin-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    header_bytes: int = 0
    name: str = ""
    is_file: bool = False
    text: bytearray = field(default_factory=bytearray)


class MultipartReader:
    """Feeds python-multipart's parser; hands back the bytes of the ``file`` field as they come."""

    def __init__(self, boundary: bytes, max_field_bytes: int) -> None:
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.file_seen = False
        self._max_field_bytes = max_field_bytes
        self._file_data: list[bytes] = []
        self._part = _Part()
        self._parts = 0
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._ended = False
        self._parser = MultipartParser(boundary, callbacks=self._callbacks())

    def _callbacks(self) -> "MultipartCallbacks":
        return {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_end": self._on_end,
        }

    def feed(self, chunk: bytes) -> bytes:
        try:
            self._parser.write(chunk)
        except MultipartParseError as exc:
            raise MalformedUploadError(f"malformed multipart body: {exc}") from None
        data = b"".join(self._file_data)
        self._file_data.clear()
        return data

    def finish(self) -> None:
        self._parser.finalize()
        if not self._ended:
            raise MalformedUploadError("the multipart body ends before its closing boundary")
        if not self.file_seen:
            raise InvalidUploadFieldsError(f"the multipart field {FILE_FIELD!r} is required")

    def _on_part_begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise MalformedUploadError(f"more than {MAX_PARTS} multipart fields")
        self._part = _Part()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._header_value += data[start:end]

    def _count_header(self, size: int) -> None:
        self._part.header_bytes += size
        if self._part.header_bytes > MAX_PART_HEADER_BYTES:
            raise MalformedUploadError("a multipart field has oversized headers")

    def _on_header_end(self) -> None:
        name = self._header_name.decode("latin-1").strip().lower()
        # Latin-1 keeps every byte as it came; names are decoded once parsed out.
        self._part.headers[name] = self._header_value.decode("latin-1").strip()
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        disposition = self._part.headers.get("content-disposition", "")
        _, options = parse_options_header(disposition)
        self._part.name = options.get(b"name", b"").decode("latin-1")
        self._part.is_file = self._part.name == FILE_FIELD
        if self._part.is_file:
            if self.file_seen:
                raise InvalidUploadFieldsError(f"the field {FILE_FIELD!r} is given twice")
            self.file_seen = True
            self.filename = filename_from_disposition(disposition)
        elif b"filename" in options:
            raise InvalidUploadFieldsError(f"only the field {FILE_FIELD!r} may hold a file")

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part.is_file:
            self._file_data.append(data[start:end])
            return
        self._part.text += data[start:end]
        if len(self._part.text) > self._max_field_bytes:
            raise InvalidUploadFieldsError(
                f"the field {self._part.name!r} is longer than {self._max_field_bytes} bytes"
            )

    def _on_part_end(self) -> None:
        if self._part.is_file:
            return
        try:
            self.fields[self._part.name] = self._part.text.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidUploadFieldsError(
                f"the field {self._part.name!r} is not UTF-8 text"
            ) from None

    def _on_end(self) -> None:
        self._ended = True


def multipart_boundary(request: Request) -> bytes | None:
    """The boundary when the body is multipart/form-data, else None (a raw body)."""
    media, options = parse_options_header(request.headers.get("content-type"))
    if media != b"multipart/form-data":
        return None
    boundary = options.get(b"boundary")
    if not boundary:
        raise MalformedUploadError("multipart/form-data without a boundary")
    return boundary


def _check_declared_length(request: Request, limit: int, max_bytes: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadTooLargeError(max_bytes)


async def _body(request: Request) -> AsyncIterator[bytes]:
    try:
        async for chunk in request.stream():
            if chunk:
                yield chunk
    except ClientDisconnect:
        raise MalformedUploadError("the client went away before the upload was complete") from None


async def _multipart_file(request: Request, reader: MultipartReader) -> AsyncIterator[bytes]:
    async for chunk in _body(request):
        data = reader.feed(chunk)
        if data:
            yield data
    reader.finish()


async def _metered(
    chunks: AsyncIterator[bytes], sniffer: Sniffer, max_bytes: int
) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        if sniffer.size + len(chunk) > max_bytes:
            raise UploadTooLargeError(max_bytes)
        sniffer.feed(chunk)
        yield chunk


def _blocking_chunks(chunks: AsyncIterator[bytes]) -> Iterator[bytes]:
    """The async chunks as a plain iterator, for a worker thread started by anyio."""

    async def next_chunk() -> bytes | None:
        try:
            return await anext(chunks)
        except StopAsyncIteration:
            return None

    while (chunk := anyio.from_thread.run(next_chunk)) is not None:
        yield chunk


async def _store(blobs: BlobStore, key: str, chunks: AsyncIterator[bytes], limit: int) -> BlobRef:
    def put() -> BlobRef:
        return blobs.put(key, _blocking_chunks(chunks), max_size=limit)

    try:
        return await anyio.to_thread.run_sync(put)
    except BlobTooLargeError:
        raise UploadTooLargeError(limit) from None


async def receive_upload(
    request: Request, blobs: BlobStore, key: str, limits: UploadLimits
) -> ReceivedUpload:
    """Store the document under ``key``; raises a :class:`ProblemError` leaving nothing stored."""
    boundary = multipart_boundary(request)
    sniffer = Sniffer()
    if boundary is None:
        _check_declared_length(request, limits.max_bytes, limits.max_bytes)
        source, reader = _body(request), None
    else:
        _check_declared_length(request, limits.max_multipart_body, limits.max_bytes)
        reader = MultipartReader(boundary, limits.max_field_bytes)
        source = _multipart_file(request, reader)
    content = await _store(
        blobs, key, _metered(source, sniffer, limits.max_bytes), limits.max_bytes
    )
    try:
        media_type = sniffer.media_type()
    except ProblemError:
        await anyio.to_thread.run_sync(blobs.delete, content.url)
        raise
    filename = reader.filename if reader else _raw_filename(request)
    fields = reader.fields if reader else dict(request.query_params)
    return ReceivedUpload(content, media_type, clean_filename(filename), fields)


def _raw_filename(request: Request) -> str | None:
    explicit = request.headers.get("x-filename")
    if explicit:
        return unquote(explicit)
    return filename_from_disposition(request.headers.get("content-disposition"))
