"""The local blob store: the blob store contract, and what only a directory does (file
permissions, fsync, symlinks, temporary files, memory while streaming)."""

import errno
import hashlib
import os
import stat
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from docflow_runtime.blobstore import (
    BlobStore,
    BlobStoreError,
    ForeignBlobUrlError,
    InvalidBlobKeyError,
    LocalBlobStore,
    UnsupportedBlobUrlError,
    blob_store_from_url,
)
from docflow_testing.blobstore_contract import KEY, BlobStoreContract

MiB = 1024 * 1024


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "blobs"


@pytest.fixture
def store(root: Path) -> LocalBlobStore:
    return LocalBlobStore(root)


def all_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if not p.is_dir())


def local(store: BlobStore) -> LocalBlobStore:
    assert isinstance(store, LocalBlobStore)
    return store


# {uri} is the store root as a file:// url, {path} the root as a path.
FOREIGN_URLS = [
    "file:///etc/passwd",
    "{uri}/../x",
    "{uri}/a/../../x",
    "{uri}/a%2F..%2F..%2Fx",
    "{uri}/%2e%2e/x",
    "{uri}/a%00b",
    "{uri}-evil/x",
    "{uri}",
    "{uri}/x?y=1",
    "file://otherhost{path}/x",
    "s3://bucket{path}/x",
    "https://example.com{path}/x",
    "{path}/x",
]


class TestLocalBlobStore(BlobStoreContract):
    def url_of(self, store: BlobStore, key: str) -> str:
        return (local(store).root / key).as_uri()

    def stored(self, store: BlobStore) -> list[str]:
        # Temporary files are listed too: their dot-names differ from every key.
        root = local(store).root
        return sorted(p.relative_to(root).as_posix() for p in all_files(root))

    def overwrite(self, store: BlobStore, key: str, data: bytes) -> None:
        (local(store).root / key).write_bytes(data)

    def foreign_urls(self, store: BlobStore) -> list[str]:
        root = local(store).root
        return [t.format(uri=root.as_uri(), path=root) for t in FOREIGN_URLS]


# --- files -------------------------------------------------------------------------------


def test_blob_files_are_private_to_the_owner(store: LocalBlobStore, root: Path) -> None:
    store.put_bytes(KEY, b"confidential")
    assert (root / KEY).stat().st_mode & 0o077 == 0


def test_file_is_fsynced_before_it_is_renamed_into_place(
    store: LocalBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync-file")
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store.put_bytes(KEY, b"durable")
    assert "fsync-file" in calls
    assert calls.index("fsync-file") < calls.index("replace")
    assert calls[-1] == "fsync-dir"


def test_streaming_50_mib_keeps_memory_bounded(store: LocalBlobStore) -> None:
    expected = hashlib.sha256()

    def generate() -> Iterator[bytes]:
        for i in range(50):
            chunk = bytes([i]) * MiB
            expected.update(chunk)
            yield chunk

    tracemalloc.start()
    try:
        ref = store.put(KEY, generate())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * MiB, f"peak {peak / MiB:.1f} MiB for a 50 MiB blob"
    assert ref.size == 50 * MiB
    assert ref.sha256 == expected.hexdigest()
    store.verify(ref)


def test_key_below_a_symlink_leading_outside_is_rejected(
    store: LocalBlobStore, root: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "tenant").symlink_to(outside)
    with pytest.raises(InvalidBlobKeyError, match="outside"):
        store.put_bytes("tenant/2026/doc", b"x")
    assert list(outside.iterdir()) == []


def test_key_under_an_existing_blob_is_a_store_error(store: LocalBlobStore) -> None:
    store.put_bytes("a/b", b"x")
    with pytest.raises(BlobStoreError):
        store.put_bytes("a/b/c", b"y")


# --- urls --------------------------------------------------------------------------------


def test_symlinks_leading_outside_are_refused(
    store: LocalBlobStore, root: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not yours")
    (root / "t").mkdir()
    (root / "t" / "link").symlink_to(secret)
    (root / "t" / "dir").symlink_to(tmp_path)
    for url in ((root / "t" / "link").as_uri(), (root / "t" / "dir" / "secret.txt").as_uri()):
        for operation in (store.open, store.read, store.exists, store.delete):
            with pytest.raises(ForeignBlobUrlError):
                operation(url)
    assert secret.read_bytes() == b"not yours"


def test_temporary_files_cannot_be_read_through_a_url(store: LocalBlobStore, root: Path) -> None:
    (root / "t").mkdir()
    partial = root / "t" / ".put-abc.tmp"
    partial.write_bytes(b"half a document")
    with pytest.raises(ForeignBlobUrlError):
        store.read(partial.as_uri())


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("file:///etc/passwd", "a file url"),
        ("{uri}/../x", "a file url"),
        ("{path}/x", "a url without a scheme"),
    ],
)
def test_a_foreign_url_is_named_by_its_scheme_only(
    store: LocalBlobStore, template: str, named: str
) -> None:
    url = template.format(uri=store.root.as_uri(), path=store.root)
    with pytest.raises(ForeignBlobUrlError) as raised:
        store.read(url)
    assert raised.value.url == url
    assert str(raised.value) == f"{named} that names no blob in this blob store"


def test_an_unreadable_blob_is_named_by_its_key(
    store: LocalBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = store.put_bytes(KEY, b"x")

    def denied(path: Path, *args: object, **kwargs: object) -> BinaryIO:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(BlobStoreError) as raised:
        store.read(ref.url)
    assert str(raised.value) == f"cannot read blob {KEY}: Permission denied"


# --- factory -----------------------------------------------------------------------------


def test_factory_builds_a_local_store_from_a_file_url(tmp_path: Path) -> None:
    store = blob_store_from_url((tmp_path / "b").as_uri())
    assert isinstance(store, LocalBlobStore)
    assert store.root == (tmp_path / "b").resolve()
    assert store.root.is_dir()


def test_factory_builds_a_local_store_from_a_plain_path(tmp_path: Path) -> None:
    store = blob_store_from_url(str(tmp_path / "plain"))
    assert isinstance(store, LocalBlobStore)
    assert store.root == (tmp_path / "plain").resolve()


def test_factory_resolves_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = blob_store_from_url("rel/blobs")
    assert isinstance(store, LocalBlobStore)
    assert store.root == (tmp_path / "rel" / "blobs").resolve()


@pytest.mark.parametrize(
    ("url", "named"),
    [("http://example.com/blobs", "'http'"), ("gs://bucket/x", "'gs'")],
)
def test_factory_names_an_unknown_scheme(url: str, named: str) -> None:
    with pytest.raises(UnsupportedBlobUrlError, match=named):
        blob_store_from_url(url)


@pytest.mark.parametrize("url", ["", "   ", "file://remotehost/blobs", "file:relative/dir"])
def test_factory_refuses_urls_that_name_no_local_directory(url: str) -> None:
    with pytest.raises(UnsupportedBlobUrlError):
        blob_store_from_url(url)


def test_factory_never_echoes_credentials() -> None:
    with pytest.raises(UnsupportedBlobUrlError) as raised:
        blob_store_from_url("https://user:hunter2@example.com/blobs")
    assert "hunter2" not in str(raised.value)
