"""The blob store interface: where documents and large results live (the claim check).

Events carry a :class:`~docflow_events.v1.common.BlobRef` (url, sha256, size) instead of the
content. Every backend streams content in and out, so a store never needs to hold a whole
document in memory, and every reference can be checked against what is actually stored.
"""

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import BinaryIO, TypeVar, cast
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from docflow_events import EventData
from docflow_events.v1.common import BlobRef
from docflow_runtime.errors import ConfigurationError, PermanentError
from docflow_runtime.finite import check_finite

CHUNK_SIZE = 1024 * 1024
#: Problems of an unreadable claim-checked blob named in its error, at most.
_PROBLEMS_SHOWN = 3
M = TypeVar("M", bound=BaseModel)
MAX_KEY_LENGTH = 1024
MAX_SEGMENT_LENGTH = 255

# Segments may not start with a dot: that rules out "." and "..", and reserves dot-names for
# a backend's own bookkeeping (the local store's temporary files).
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


class BlobStoreError(Exception):
    """Any failure of a blob store (I/O errors included)."""


# The precise errors below subclass PermanentError: retrying the same event cannot change
# the outcome, so the runtime dead-letters at once. A bare BlobStoreError (disk full, I/O
# error) is left to the runtime's default, which retries.


# Errors name a blob by its key within the store, never by its url: a url is a location on
# the server, and these messages become a document's reason, which users and webhooks see.
# The url stays an attribute, for logs.


class BlobNotFoundError(BlobStoreError, PermanentError):
    """No blob at this url."""

    def __init__(self, key: str, url: str) -> None:
        super().__init__(f"no blob {key} in the blob store")
        self.key = key
        self.url = url


class BlobTooLargeError(BlobStoreError, PermanentError):
    """The content passed a size limit: the one given to ``put`` (nothing was stored), or the
    one a reader accepts (nothing was read)."""

    def __init__(self, limit: int, size: int | None = None) -> None:
        of = "" if size is None else f" of {size} bytes"
        super().__init__(f"blob{of} exceeds the size limit of {limit} bytes")
        self.limit = limit
        self.size = size


class BlobIntegrityError(BlobStoreError, PermanentError):
    """The stored content does not match its reference (size or sha256)."""

    def __init__(self, ref: BlobRef, key: str, *, actual_size: int, actual_sha256: str) -> None:
        super().__init__(
            f"blob {key} does not match its reference: expected {ref.size} bytes with "
            f"sha256 {ref.sha256}, found {actual_size} bytes with sha256 {actual_sha256}"
        )
        self.ref = ref
        self.key = key
        self.actual_size = actual_size
        self.actual_sha256 = actual_sha256


class BlobContentError(BlobStoreError, PermanentError):
    """A claim-checked blob that is not what its event says: not the model it should hold, or
    the result of another document. The message names fields and ids, never content."""


class InvalidBlobKeyError(BlobStoreError, PermanentError):
    """A key that is not a safe, relative, canonical object name."""

    def __init__(self, key: str, reason: str) -> None:
        # repr() and truncation keep a hostile key from forging or flooding log lines.
        super().__init__(f"invalid blob key {key[:100]!r}: {reason}")
        self.key = key
        self.reason = reason


class ForeignBlobUrlError(BlobStoreError, PermanentError):
    """A url that does not name a blob inside this store."""

    def __init__(self, url: str) -> None:
        # Only the scheme: the rest of a foreign url may be any path on the server.
        scheme = urlsplit(url).scheme[:20]
        what = f"a {scheme} url" if scheme else "a url without a scheme"
        super().__init__(f"{what} that names no blob in this blob store")
        self.url = url


class UnsupportedBlobUrlError(BlobStoreError, ConfigurationError):
    """A blob store url (configuration) that no available backend serves."""


def key_problem(key: str) -> str | None:
    """Why ``key`` is not acceptable, or None when it is."""
    if not key:
        return "empty"
    if len(key) > MAX_KEY_LENGTH:
        return f"longer than {MAX_KEY_LENGTH} characters"
    if "\x00" in key or "\\" in key:
        return "contains a NUL or a backslash"
    if key.startswith("/"):
        return "must be relative"
    for segment in key.split("/"):
        problem = _segment_problem(segment)
        if problem:
            return problem
    return None


def _segment_problem(segment: str) -> str | None:
    if not segment:
        return "empty path segment"
    if segment in {".", ".."}:
        return f"{segment!r} path segment"
    if len(segment) > MAX_SEGMENT_LENGTH:
        return f"path segment longer than {MAX_SEGMENT_LENGTH} characters"
    if not _SEGMENT.fullmatch(segment):
        return "path segments use only A-Z a-z 0-9 . _ - and may not start with a dot"
    return None


def validate_key(key: str) -> str:
    """Return ``key`` unchanged, or raise :class:`InvalidBlobKeyError`."""
    problem = key_problem(key)
    if problem:
        raise InvalidBlobKeyError(key, problem)
    return key


def original_key(tenant: str, at: datetime, document_id: str) -> str:
    """Where a document's original content is kept, whoever stores it (ingest for an upload,
    extract for an attachment): per tenant, then by day, never named by the client."""
    return validate_key(f"{tenant}/{at:%Y/%m/%d}/{document_id}/original")


def result_key(data: EventData, name: str) -> str:
    """Where a stage keeps one of its results for the run ``data`` belongs to: per tenant and
    per run, chosen by the server, so that a late write of an earlier run can never replace
    what a later run reads."""
    return validate_key(f"{data.tenant}/{data.document_id}/runs/{data.run}/{name}")


def iter_chunks(
    source: Iterable[bytes] | BinaryIO, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """Chunks of ``source``: read from a binary stream, or taken from an iterable as they come."""
    if isinstance(source, bytes | bytearray | memoryview):
        # Iterating bytes yields ints; fail loudly instead of storing garbage.
        raise TypeError("put() takes chunks or a binary stream; use put_bytes() for bytes")
    if callable(getattr(source, "read", None)):
        return _read_chunks(cast(BinaryIO, source), chunk_size)
    return iter(source)


def _read_chunks(stream: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    while chunk := stream.read(chunk_size):
        yield chunk


class StreamDigest:
    """Counts and hashes content as it passes, enforcing an optional size limit."""

    def __init__(self, max_size: int | None = None) -> None:
        if max_size is not None and max_size < 0:
            raise ValueError("max_size must not be negative")
        self._max_size = max_size
        self._sha256 = hashlib.sha256()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        """Account for ``chunk``; raises before accepting the chunk that passes the limit."""
        size = self.size + len(chunk)
        if self._max_size is not None and size > self._max_size:
            raise BlobTooLargeError(self._max_size)
        self._sha256.update(chunk)
        self.size = size

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    def ref(self, url: str) -> BlobRef:
        return BlobRef(url=url, sha256=self.sha256, size=self.size)


class BlobStore(ABC):
    """Content addressed by url, written under server-generated keys.

    Keys look like ``tenant/2026/11/23/<id>/original``: relative, ``/``-separated segments of
    ``A-Z a-z 0-9 . _ -``, no dot segments, at most :data:`MAX_KEY_LENGTH` characters.
    Urls are what the store hands back in :class:`BlobRef`; they are the only way to read.
    """

    @abstractmethod
    def put(
        self,
        key: str,
        chunks: Iterable[bytes] | BinaryIO,
        *,
        max_size: int | None = None,
        keep_existing: bool = False,
    ) -> BlobRef:
        """Store content under ``key``, replacing any previous content atomically; with
        ``keep_existing``, the first content stored under ``key`` stays and its reference is
        returned (a redelivered event then refers to the blob its first delivery wrote).

        The content is streamed and hashed while written. Passing ``max_size`` raises
        :class:`BlobTooLargeError` as soon as the content goes beyond it, leaving nothing
        stored. Raises :class:`InvalidBlobKeyError` for a key that is not acceptable.
        """

    @abstractmethod
    def open(self, url: str) -> BinaryIO:
        """A readable stream of the blob; the caller closes it.

        Raises :class:`ForeignBlobUrlError` for a url outside this store and
        :class:`BlobNotFoundError` when nothing is stored there.
        """

    @abstractmethod
    def url_of(self, key: str) -> str:
        """The url of the blob stored, or to be stored, under ``key``."""

    @abstractmethod
    def key_of(self, url: str) -> str:
        """The key of the blob at ``url``, which is how errors name it.

        Raises :class:`ForeignBlobUrlError` for a url outside this store.
        """

    @abstractmethod
    def exists(self, url: str) -> bool:
        """Whether a blob is stored at ``url`` (which must belong to this store)."""

    @abstractmethod
    def delete(self, url: str) -> None:
        """Remove the blob at ``url``; removing a missing blob is not an error."""

    def put_bytes(self, key: str, data: bytes) -> BlobRef:
        """Store content already in memory (small results, tests)."""
        return self.put(key, [data])

    def save(self, key: str, result: BaseModel, *, keep_existing: bool = False) -> BlobRef:
        """Store ``result`` as JSON under ``key``: what :meth:`load` reads back. With
        ``keep_existing``, a result already stored under ``key`` stays (see :meth:`put`).

        Raises :class:`~docflow_runtime.finite.NonFiniteNumberError`, naming the
        field, when ``result`` holds inf or nan: written as null, it would be refused by the
        reader, a stage later and with no hint of the cause.
        """
        check_finite(result)
        return self.put(key, [result.model_dump_json().encode()], keep_existing=keep_existing)

    def read(self, url: str) -> bytes:
        """The whole blob in memory: for small blobs only, stream large ones with ``open``."""
        with self.open(url) as stream:
            return stream.read()

    def read_verified(self, ref: BlobRef, *, max_bytes: int) -> bytes:
        """The blob in memory, in one read, exactly as ``ref`` describes it (size and sha256).

        A reference larger than ``max_bytes`` raises :class:`BlobTooLargeError` before anything
        is read; content that does not match raises :class:`BlobIntegrityError`. One byte past
        the claimed size is read so that content longer than its reference is noticed without
        reading all of it.
        """
        if ref.size > max_bytes:
            raise BlobTooLargeError(max_bytes, ref.size)
        with self.open(ref.url) as stream:
            data = stream.read(ref.size + 1)
        sha256 = hashlib.sha256(data).hexdigest()
        if len(data) != ref.size or sha256 != ref.sha256:
            raise BlobIntegrityError(
                ref, self.key_of(ref.url), actual_size=len(data), actual_sha256=sha256
            )
        return data

    def load(self, ref: BlobRef, model: type[M], *, max_bytes: int, document_id: str) -> M:
        """The claim-checked result at ``ref``: verified, parsed as ``model``, and of
        ``document_id`` (its ``document_id`` field).

        Raises what :meth:`read_verified` raises, and :class:`BlobContentError` when the
        content is not a valid ``model`` or belongs to another document.
        """
        data = self.read_verified(ref, max_bytes=max_bytes)
        try:
            result = model.model_validate_json(data)
        except ValidationError as exc:
            raise BlobContentError(
                f"blob {self.key_of(ref.url)} is not a valid {model.__name__}: "
                f"{validation_problems(exc)}"
            ) from None
        if getattr(result, "document_id", None) != document_id:
            raise BlobContentError(
                f"blob {self.key_of(ref.url)} is the {model.__name__} of another document, "
                f"not of {document_id!r}"
            )
        return result

    def verify(self, ref: BlobRef) -> None:
        """Raise :class:`BlobIntegrityError` unless the blob matches ``ref`` byte for byte."""
        digest = StreamDigest()
        with self.open(ref.url) as stream:
            for chunk in iter_chunks(stream):
                digest.update(chunk)
        if digest.size != ref.size or digest.sha256 != ref.sha256:
            raise BlobIntegrityError(
                ref, self.key_of(ref.url), actual_size=digest.size, actual_sha256=digest.sha256
            )


def validation_problems(exc: ValidationError) -> str:
    """Where the content is wrong and why, without the values (they are document content)."""
    errors = exc.errors(include_url=False, include_input=False)
    shown = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(top level)'}: {error['msg']}"
        for error in errors[:_PROBLEMS_SHOWN]
    )
    more = len(errors) - _PROBLEMS_SHOWN
    return f"{shown}; and {more} more" if more > 0 else shown
