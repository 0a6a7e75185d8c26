"""A blob store in a local directory, addressed by ``file://`` urls (the embedded default)."""

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from docflow_events.v1.common import BlobRef
from docflow_runtime.blobstore.base import (
    BlobNotFoundError,
    BlobStore,
    BlobStoreError,
    ForeignBlobUrlError,
    InvalidBlobKeyError,
    StreamDigest,
    iter_chunks,
    key_problem,
    validate_key,
)

# Temporary files start with a dot, which no valid key segment does: they can never collide
# with a blob, and no url this store accepts can name one.
_TEMP_PREFIX = ".put-"
_TEMP_SUFFIX = ".tmp"


def path_from_file_url(url: str) -> Path | None:
    """The absolute local path a ``file://`` url names, or None if it is not such a url."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in {"", "localhost"}:
        return None
    if parts.query or parts.fragment:
        return None
    raw = unquote(parts.path)
    if "\x00" in raw or not raw.startswith("/"):
        return None
    return Path(raw)


class LocalBlobStore(BlobStore):
    """Blobs as files under ``root``.

    A put writes a temporary file next to its destination, fsyncs it and renames it into
    place, so a reader sees either the old blob or the new one, never a partial write, and an
    accepted document survives a crash. Files are created readable by the owner only.
    """

    def __init__(self, root: Path | str) -> None:
        # Resolved once so that urls are canonical and containment checks compare real paths.
        self._root = Path(root).expanduser().resolve()
        self._root.mkdir(parents=True, exist_ok=True)

    @property
    def root(self) -> Path:
        return self._root

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self._root)!r})"

    def put(
        self,
        key: str,
        chunks: Iterable[bytes] | BinaryIO,
        *,
        max_size: int | None = None,
        keep_existing: bool = False,
    ) -> BlobRef:
        path = self._path_for_key(key)
        digest = StreamDigest(max_size)
        with _storage_errors(key):
            _make_directories(path.parent)
            fd, temp = _create_temp_file(path.parent)
        try:
            _copy_durably(iter_chunks(chunks), fd, digest, key)
            with _storage_errors(key):
                placed = _place(temp, path, replace=not keep_existing)
        except BaseException:
            # Too large, a failing source, a full disk or an interrupt: leave nothing behind.
            temp.unlink(missing_ok=True)
            raise
        if not placed:
            return self._describe(path)
        with _storage_errors(key):
            # The rename is only durable once the directory entry is on disk.
            _fsync_directory(path.parent)
        return digest.ref(path.as_uri())

    def open(self, url: str) -> BinaryIO:
        path = self._path_for_url(url)
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise BlobNotFoundError(self._key(path), url) from exc
        except OSError as exc:
            raise BlobStoreError(f"cannot read blob {self._key(path)}: {_why(exc)}") from exc

    def url_of(self, key: str) -> str:
        return self._path_for_key(key).as_uri()

    def key_of(self, url: str) -> str:
        return self._key(self._path_for_url(url))

    def exists(self, url: str) -> bool:
        return self._path_for_url(url).is_file()

    def delete(self, url: str) -> None:
        path = self._path_for_url(url)
        try:
            # A directory at that path is a prefix of other keys, not a blob: nothing to delete.
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                path.unlink()
        except OSError as exc:
            raise BlobStoreError(f"cannot delete blob {self._key(path)}: {_why(exc)}") from exc

    def _key(self, path: Path) -> str:
        return path.relative_to(self._root).as_posix()

    def _describe(self, path: Path) -> BlobRef:
        """The reference of the blob stored at ``path``, from its content."""
        digest = StreamDigest()
        with self.open(path.as_uri()) as stream:
            for chunk in iter_chunks(stream):
                digest.update(chunk)
        return digest.ref(path.as_uri())

    def _path_for_key(self, key: str) -> Path:
        path = self._root.joinpath(*validate_key(key).split("/"))
        # A symlinked directory inside root must not let a put write outside it.
        if not path.parent.resolve().is_relative_to(self._root):
            raise InvalidBlobKeyError(key, "resolves outside the blob store")
        return path

    def _path_for_url(self, url: str) -> Path:
        path = path_from_file_url(url)
        if path is None or not path.is_relative_to(self._root):
            raise ForeignBlobUrlError(url)
        # Only canonical keys are readable: no "..", and never a temporary file.
        if key_problem(self._key(path)):
            raise ForeignBlobUrlError(url)
        if not path.resolve().is_relative_to(self._root):
            raise ForeignBlobUrlError(url)
        return path


def _place(temp: Path, path: Path, *, replace: bool) -> bool:
    """Give ``temp``'s content the name ``path``; without ``replace``, only when no blob has it
    yet (False then, and the temporary file is gone either way). A hard link, unlike a rename,
    never replaces: the first writer of a key wins."""
    if replace:
        os.replace(temp, path)
        return True
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    finally:
        temp.unlink(missing_ok=True)
    return True


def _make_directories(directory: Path) -> None:
    """Create missing directories, fsyncing each parent so the new entries are durable too."""
    missing: list[Path] = []
    while not directory.is_dir():
        missing.append(directory)
        directory = directory.parent
    for created in reversed(missing):
        # Another put may create the same directory at the same moment.
        with contextlib.suppress(FileExistsError):
            created.mkdir()
        _fsync_directory(created.parent)


@contextlib.contextmanager
def _storage_errors(key: str) -> Iterator[None]:
    """Report the store's own I/O failures as BlobStoreError; a source's errors pass as they are."""
    try:
        yield
    except OSError as exc:
        raise BlobStoreError(f"cannot store blob {key!r}: {_why(exc)}") from exc


def _why(exc: OSError) -> str:
    """What went wrong, without the file name an OSError's own message carries."""
    return exc.strerror or type(exc).__name__


def _create_temp_file(directory: Path) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(dir=directory, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX)
    return fd, Path(name)


def _copy_durably(chunks: Iterator[bytes], fd: int, digest: StreamDigest, key: str) -> None:
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            digest.update(chunk)
            with _storage_errors(key):
                out.write(chunk)
        with _storage_errors(key):
            out.flush()
            os.fsync(out.fileno())


def _fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return  # directories cannot be opened for fsync elsewhere
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
