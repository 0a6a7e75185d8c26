"""The local blob store: integrity, streaming, limits, containment, atomicity."""

import errno
import hashlib
import io
import math
import os
import stat
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from pydantic import BaseModel

from docflow_events.v1.common import BlobRef
from docflow_runtime.blobstore import (
    BlobContentError,
    BlobIntegrityError,
    BlobNotFoundError,
    BlobStoreError,
    BlobTooLargeError,
    ForeignBlobUrlError,
    InvalidBlobKeyError,
    LocalBlobStore,
    UnsupportedBlobUrlError,
    blob_store_from_url,
)
from docflow_runtime.errors import PermanentError
from docflow_runtime.finite import NonFiniteNumberError

MiB = 1024 * 1024
KEY = "tenant-a/2026/11/23/0f1e2d3c/original"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "blobs"


@pytest.fixture
def store(root: Path) -> LocalBlobStore:
    return LocalBlobStore(root)


def all_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if not p.is_dir())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- round trips ---------------------------------------------------------------------------


def test_put_bytes_then_read_returns_content_with_its_sha256_and_size(
    store: LocalBlobStore, root: Path
) -> None:
    data = b"%PDF-1.7 contract body"
    ref = store.put_bytes(KEY, data)
    assert ref == BlobRef(url=(root / KEY).resolve().as_uri(), sha256=sha256(data), size=len(data))
    assert ref.url.startswith("file:///")
    assert store.read(ref.url) == data
    assert store.exists(ref.url)


def test_put_streams_chunks_and_binary_streams_alike(store: LocalBlobStore) -> None:
    data = os.urandom(3 * MiB + 17)
    from_chunks = store.put("a/chunks", iter([data[:MiB], data[MiB:]]))
    from_stream = store.put("a/stream", io.BytesIO(data))
    assert from_chunks.sha256 == from_stream.sha256 == sha256(data)
    assert from_chunks.size == from_stream.size == len(data)
    with store.open(from_stream.url) as stream:
        assert stream.read() == data


def test_empty_content_is_a_valid_blob(store: LocalBlobStore) -> None:
    ref = store.put("empty", [])
    assert (ref.size, ref.sha256) == (0, sha256(b""))
    assert store.read(ref.url) == b""


def test_put_rejects_bytes_passed_as_chunks(store: LocalBlobStore) -> None:
    with pytest.raises(TypeError, match="put_bytes"):
        store.put("k", b"abc")  # type: ignore[arg-type]


def test_re_putting_a_key_replaces_the_content(store: LocalBlobStore) -> None:
    first = store.put_bytes(KEY, b"first version")
    second = store.put_bytes(KEY, b"second")
    assert first.url == second.url
    assert store.read(second.url) == b"second"


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


# --- streaming and limits ------------------------------------------------------------------


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


def test_content_exactly_at_the_limit_is_accepted(store: LocalBlobStore) -> None:
    ref = store.put(KEY, [b"x" * 100], max_size=100)
    assert ref.size == 100


def test_too_large_stops_at_the_limit_and_leaves_nothing(store: LocalBlobStore, root: Path) -> None:
    consumed = 0

    def generate() -> Iterator[bytes]:
        nonlocal consumed
        for _ in range(100):
            consumed += 1
            yield b"x" * 1000

    with pytest.raises(BlobTooLargeError) as raised:
        store.put(KEY, generate(), max_size=4500)
    assert raised.value.limit == 4500
    assert isinstance(raised.value, PermanentError)
    assert consumed == 5  # stopped on the chunk that passed the limit, not at the end
    assert all_files(root) == []


def test_too_large_does_not_damage_the_previous_blob(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, b"small")
    with pytest.raises(BlobTooLargeError):
        store.put(KEY, [b"much larger content"], max_size=10)
    assert store.read(ref.url) == b"small"


def test_failing_source_leaves_no_temporary_file(store: LocalBlobStore, root: Path) -> None:
    def broken() -> Iterator[bytes]:
        yield b"partial"
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store.put(KEY, broken())
    assert all_files(root) == []


# --- keys ----------------------------------------------------------------------------------

HOSTILE_KEYS = [
    "",
    "/etc/passwd",
    "../outside",
    "a/../../outside",
    "a/..",
    "./a",
    "a/./b",
    "a//b",
    "a/",
    "a\\..\\b",
    "a\x00b",
    ".hidden",
    "a/.put-123.tmp",
    "a b",
    "a\nb",
    "a/b?c",
    "a%2F..%2Fb",
    "é",
    "C:evil",
    "~root",
    "a" * 256,
    "/".join(["a" * 200] * 6),
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_hostile_keys_are_rejected(store: LocalBlobStore, root: Path, key: str) -> None:
    with pytest.raises(InvalidBlobKeyError):
        store.put_bytes(key, b"x")
    assert all_files(root) == []


@pytest.mark.parametrize(
    "key",
    [
        "a",
        "tenant_1/2026/11/23/4b1c-9a7e/original",
        "t/x/extraction.v1.json",
        "a..b/c-d",
        "/".join(["a" * 255] * 4),
    ],
)
def test_well_formed_keys_are_accepted(store: LocalBlobStore, key: str) -> None:
    ref = store.put_bytes(key, b"x")
    assert store.read(ref.url) == b"x"


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


# --- urls ----------------------------------------------------------------------------------


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


@pytest.mark.parametrize("template", FOREIGN_URLS)
def test_foreign_urls_are_refused(store: LocalBlobStore, template: str) -> None:
    url = template.format(uri=store.root.as_uri(), path=store.root)
    for operation in (store.open, store.read, store.exists, store.delete):
        with pytest.raises(ForeignBlobUrlError):
            operation(url)


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


def test_missing_blob_is_not_found(store: LocalBlobStore) -> None:
    url = (store.root / "t" / "missing").as_uri()
    with pytest.raises(BlobNotFoundError) as raised:
        store.read(url)
    assert raised.value.url == url
    assert raised.value.key == "t/missing"
    with pytest.raises(BlobNotFoundError):
        store.open(url)
    with pytest.raises(BlobNotFoundError):
        store.verify(BlobRef(url=url, sha256=sha256(b""), size=0))
    assert store.exists(url) is False


def test_a_key_prefix_is_not_a_blob(store: LocalBlobStore) -> None:
    store.put_bytes("t/doc/original", b"x")
    prefix_url = (store.root / "t" / "doc").as_uri()
    assert store.exists(prefix_url) is False
    with pytest.raises(BlobNotFoundError):
        store.read(prefix_url)
    store.delete(prefix_url)
    assert store.exists((store.root / "t" / "doc" / "original").as_uri())


def test_delete_removes_the_blob_and_is_idempotent(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, b"x")
    store.delete(ref.url)
    assert not store.exists(ref.url)
    store.delete(ref.url)
    assert not store.exists(ref.url)


# --- integrity -----------------------------------------------------------------------------


def test_verify_accepts_the_blob_it_stored(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, b"intact content")
    store.verify(ref)


def test_verify_detects_a_flipped_byte(store: LocalBlobStore, root: Path) -> None:
    ref = store.put_bytes(KEY, b"intact content")
    path = root / KEY
    damaged = bytearray(path.read_bytes())
    damaged[3] ^= 0x01
    path.write_bytes(bytes(damaged))
    with pytest.raises(BlobIntegrityError) as raised:
        store.verify(ref)
    assert raised.value.actual_size == ref.size
    assert raised.value.actual_sha256 == sha256(bytes(damaged))


def test_verify_detects_a_size_mismatch(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, b"intact content")
    with pytest.raises(BlobIntegrityError):
        store.verify(ref.model_copy(update={"size": ref.size + 1}))


def test_read_verified_returns_the_blob_it_stored(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, b"intact content")
    assert store.read_verified(ref, max_bytes=ref.size) == b"intact content"


def test_read_verified_notices_content_longer_than_its_reference(
    store: LocalBlobStore, root: Path
) -> None:
    ref = store.put_bytes(KEY, b"intact content")
    (root / KEY).write_bytes(b"intact content and more")
    with pytest.raises(BlobIntegrityError) as raised:
        store.read_verified(ref, max_bytes=1024)
    assert raised.value.actual_size == ref.size + 1  # it read one byte past the claim, no more


def test_read_verified_refuses_a_reference_above_the_limit_before_reading(
    store: LocalBlobStore,
) -> None:
    ref = store.put_bytes(KEY, b"intact content")
    store.delete(ref.url)  # reading would raise BlobNotFoundError: the limit is checked first
    with pytest.raises(BlobTooLargeError, match="blob of 14 bytes exceeds the size limit of 13"):
        store.read_verified(ref, max_bytes=13)


# --- claim-checked results -----------------------------------------------------------------


class Result(BaseModel):
    document_id: str
    pages: list[str]


def test_load_parses_the_result_of_its_document(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, Result(document_id="doc-1", pages=["a"]).model_dump_json().encode())
    loaded = store.load(ref, Result, max_bytes=MiB, document_id="doc-1")
    assert loaded == Result(document_id="doc-1", pages=["a"])


def test_load_names_what_is_wrong_never_the_content(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, b'{"document_id": "doc-1", "pages": "Acme pays $5M to Globex"}')
    with pytest.raises(BlobContentError, match=r"not a valid Result: pages: Input should be a va"):
        store.load(ref, Result, max_bytes=MiB, document_id="doc-1")
    with pytest.raises(BlobContentError) as raised:
        store.load(ref, Result, max_bytes=MiB, document_id="doc-1")
    assert "Acme" not in str(raised.value)
    assert isinstance(raised.value, PermanentError)


def test_load_refuses_another_documents_result(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, Result(document_id="doc-2", pages=[]).model_dump_json().encode())
    with pytest.raises(BlobContentError, match="Result of another document, not of 'doc-1'"):
        store.load(ref, Result, max_bytes=MiB, document_id="doc-1")


def test_load_keeps_the_size_limit_and_the_integrity_check(store: LocalBlobStore) -> None:
    ref = store.put_bytes(KEY, Result(document_id="doc-1", pages=[]).model_dump_json().encode())
    with pytest.raises(BlobTooLargeError):
        store.load(ref, Result, max_bytes=ref.size - 1, document_id="doc-1")
    with pytest.raises(BlobIntegrityError):
        store.load(ref.model_copy(update={"sha256": sha256(b"other")}), Result,
                   max_bytes=MiB, document_id="doc-1")  # fmt: skip


def test_save_writes_what_load_reads(store: LocalBlobStore) -> None:
    ref = store.save(KEY, Result(document_id="doc-1", pages=["a"]))
    assert store.load(ref, Result, max_bytes=MiB, document_id="doc-1").pages == ["a"]


class Scored(BaseModel):
    document_id: str
    scores: dict[str, list[float]]


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_save_refuses_a_number_json_cannot_hold_and_names_its_field(
    store: LocalBlobStore, root: Path, value: float
) -> None:
    result = Scored(document_id="doc-1", scores={"pages": [0.5, value]})
    with pytest.raises(NonFiniteNumberError) as raised:
        store.save(KEY, result)
    assert str(raised.value) == (
        f"Scored field scores.pages.1 is {value}, not a finite number: JSON cannot hold it"
    )
    assert isinstance(raised.value, PermanentError)
    assert all_files(root) == []


# --- errors name blobs by key, never by where they are on the server -------------------------


def test_errors_about_a_stored_blob_name_its_key(store: LocalBlobStore, root: Path) -> None:
    ref = store.put_bytes(KEY, b'{"document_id": "doc-2", "pages": []}')
    forged = ref.model_copy(update={"sha256": sha256(b"x")})
    with pytest.raises(BlobNotFoundError, match=r"^no blob t/missing in the blob store$"):
        store.read((root / "t" / "missing").as_uri())
    with pytest.raises(BlobIntegrityError, match=rf"^blob {KEY} does not match its reference"):
        store.read_verified(forged, max_bytes=MiB)
    with pytest.raises(BlobIntegrityError, match=rf"^blob {KEY} does not match its reference"):
        store.verify(forged)
    with pytest.raises(BlobContentError, match=rf"^blob {KEY} is the Result of another document"):
        store.load(ref, Result, max_bytes=MiB, document_id="doc-1")
    with pytest.raises(BlobContentError, match=rf"^blob {KEY} is not a valid BlobRef: url: "):
        store.load(ref, BlobRef, max_bytes=MiB, document_id="doc-2")


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


# --- concurrency ---------------------------------------------------------------------------


def test_concurrent_puts_of_one_key_leave_one_complete_blob(
    store: LocalBlobStore, root: Path
) -> None:
    contents = [bytes([i]) * (256 * 1024 + i) for i in range(8)]
    refs: list[BlobRef] = []
    torn: list[bytes] = []
    barrier = threading.Barrier(len(contents) + 1)
    done = threading.Event()
    url = (root / KEY).resolve().as_uri()

    def writer(data: bytes) -> None:
        barrier.wait()
        chunks = [data[i : i + 4096] for i in range(0, len(data), 4096)]
        refs.append(store.put(KEY, chunks))

    def reader() -> None:
        barrier.wait()
        while not done.is_set():
            try:
                seen = store.read(url)
            except BlobNotFoundError:
                continue
            if seen not in contents:
                torn.append(seen)

    threads = [threading.Thread(target=writer, args=(c,)) for c in contents]
    watcher = threading.Thread(target=reader)
    for thread in [*threads, watcher]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()

    final = store.read(url)
    assert final in contents
    assert torn == []
    assert sorted(r.sha256 for r in refs) == sorted(sha256(c) for c in contents)
    assert all_files(root) == [root / KEY]


def test_concurrent_puts_of_different_keys_all_land(store: LocalBlobStore) -> None:
    keys = [f"t/2026/11/23/doc-{i}/original" for i in range(16)]
    threads = [threading.Thread(target=store.put_bytes, args=(k, k.encode())) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for key in keys:
        assert store.read((store.root / key).as_uri()) == key.encode()


# --- factory -------------------------------------------------------------------------------


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


def test_factory_refuses_s3_for_now() -> None:
    with pytest.raises(UnsupportedBlobUrlError, match="S3 blob store is not available yet"):
        blob_store_from_url("s3://bucket/prefix")


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


def test_keep_existing_leaves_the_first_content_and_returns_its_reference(
    store: LocalBlobStore, root: Path
) -> None:
    first = store.put_bytes(KEY, b"first delivery")
    again = store.put(KEY, [b"a redelivery, timed differently"], keep_existing=True)
    assert again == first
    assert store.read(first.url) == b"first delivery"
    assert [p.name for p in all_files(root)] == [KEY.rsplit("/", 1)[1]], "no temporary file"
    fresh = store.put("tenant-a/other", [b"new"], keep_existing=True)
    assert store.read(fresh.url) == b"new"
