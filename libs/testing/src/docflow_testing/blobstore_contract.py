"""The contract every blob store passes: one suite, run against each implementation.

A backend's test module subclasses :class:`BlobStoreContract`, provides a ``store`` fixture (an
empty store of its own) and the four hooks below, which look at the backend from outside the
store: what is stored, and a way to damage it. Every test here then runs against it.
"""

import hashlib
import io
import math
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from docflow_events.v1.common import BlobRef
from docflow_runtime.blobstore import (
    BlobContentError,
    BlobIntegrityError,
    BlobNotFoundError,
    BlobStore,
    BlobTooLargeError,
    ForeignBlobUrlError,
    InvalidBlobKeyError,
)
from docflow_runtime.errors import PermanentError
from docflow_runtime.finite import NonFiniteNumberError

MiB = 1024 * 1024
KEY = "tenant-a/2026/11/23/0f1e2d3c/original"

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

WELL_FORMED_KEYS = [
    "a",
    "tenant_1/2026/11/23/4b1c-9a7e/original",
    "t/x/extraction.v1.json",
    "a..b/c-d",
    "/".join(["a" * 255] * 4),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Result(BaseModel):
    document_id: str
    pages: list[str]


class Scored(BaseModel):
    document_id: str
    scores: dict[str, list[float]]


class BlobStoreContract(ABC):
    """Subclass as ``TestXxxBlobStore`` and provide a ``store`` fixture."""

    @abstractmethod
    def url_of(self, store: BlobStore, key: str) -> str:
        """The url the store gives the blob ``key``."""

    @abstractmethod
    def stored(self, store: BlobStore) -> list[str]:
        """Everything the backend holds for the store, sorted: blob keys, and anything else
        (temporary files, unfinished uploads) named so that it differs from every key."""

    @abstractmethod
    def overwrite(self, store: BlobStore, key: str, data: bytes) -> None:
        """Replace the content of blob ``key`` behind the store's back (damage)."""

    @abstractmethod
    def foreign_urls(self, store: BlobStore) -> list[str]:
        """Urls that look close to the store's own but name no blob in it."""

    # -- round trips ----------------------------------------------------------------------

    def test_put_bytes_then_read_returns_content_with_its_sha256_and_size(
        self, store: BlobStore
    ) -> None:
        data = b"%PDF-1.7 contract body"
        ref = store.put_bytes(KEY, data)
        assert ref == BlobRef(url=self.url_of(store, KEY), sha256=sha256(data), size=len(data))
        assert store.read(ref.url) == data
        assert store.exists(ref.url)
        assert store.key_of(ref.url) == KEY
        assert self.stored(store) == [KEY]

    def test_url_of_a_key_is_the_url_its_blob_is_stored_at(self, store: BlobStore) -> None:
        assert not store.exists(store.url_of(KEY))
        ref = store.put_bytes(KEY, b"content")
        assert store.url_of(KEY) == ref.url
        assert store.key_of(store.url_of(KEY)) == KEY

    def test_put_streams_chunks_and_binary_streams_alike(self, store: BlobStore) -> None:
        data = os.urandom(3 * MiB + 17)
        from_chunks = store.put("a/chunks", iter([data[:MiB], data[MiB:]]))
        from_stream = store.put("a/stream", io.BytesIO(data))
        assert from_chunks.sha256 == from_stream.sha256 == sha256(data)
        assert from_chunks.size == from_stream.size == len(data)
        with store.open(from_stream.url) as stream:
            assert stream.read() == data

    def test_open_streams_in_pieces(self, store: BlobStore) -> None:
        data = os.urandom(2 * MiB + 5)
        ref = store.put_bytes(KEY, data)
        with store.open(ref.url) as stream:
            pieces = [stream.read(MiB), stream.read(MiB), stream.read(MiB), stream.read(MiB)]
        assert [len(p) for p in pieces] == [MiB, MiB, 5, 0]
        assert b"".join(pieces) == data

    def test_empty_content_is_a_valid_blob(self, store: BlobStore) -> None:
        ref = store.put("empty", [])
        assert (ref.size, ref.sha256) == (0, sha256(b""))
        assert store.read(ref.url) == b""

    def test_put_rejects_bytes_passed_as_chunks(self, store: BlobStore) -> None:
        with pytest.raises(TypeError, match="put_bytes"):
            store.put("k", b"abc")  # type: ignore[arg-type]
        assert self.stored(store) == []

    def test_re_putting_a_key_replaces_the_content(self, store: BlobStore) -> None:
        first = store.put_bytes(KEY, b"first version")
        second = store.put_bytes(KEY, b"second")
        assert first.url == second.url
        assert store.read(second.url) == b"second"

    def test_keep_existing_leaves_the_first_content_and_returns_its_reference(
        self, store: BlobStore
    ) -> None:
        first = store.put_bytes(KEY, b"first delivery")
        again = store.put(KEY, [b"a redelivery, timed differently"], keep_existing=True)
        assert again == first
        assert store.read(first.url) == b"first delivery"
        fresh = store.put("tenant-a/other", [b"new"], keep_existing=True)
        assert store.read(fresh.url) == b"new"
        assert self.stored(store) == sorted([KEY, "tenant-a/other"])

    # -- limits ---------------------------------------------------------------------------

    def test_content_exactly_at_the_limit_is_accepted(self, store: BlobStore) -> None:
        ref = store.put(KEY, [b"x" * 100], max_size=100)
        assert ref.size == 100

    def test_too_large_stops_at_the_limit_and_leaves_nothing(self, store: BlobStore) -> None:
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
        assert self.stored(store) == []

    def test_too_large_does_not_damage_the_previous_blob(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b"small")
        with pytest.raises(BlobTooLargeError):
            store.put(KEY, [b"much larger content"], max_size=10)
        assert store.read(ref.url) == b"small"

    def test_failing_source_leaves_nothing(self, store: BlobStore) -> None:
        def broken() -> Iterator[bytes]:
            yield b"partial"
            raise ConnectionResetError("client went away")

        with pytest.raises(ConnectionResetError):
            store.put(KEY, broken())
        assert self.stored(store) == []

    # -- keys -----------------------------------------------------------------------------

    @pytest.mark.parametrize("key", HOSTILE_KEYS)
    def test_hostile_keys_are_rejected(self, store: BlobStore, key: str) -> None:
        with pytest.raises(InvalidBlobKeyError):
            store.put_bytes(key, b"x")
        assert self.stored(store) == []

    @pytest.mark.parametrize("key", WELL_FORMED_KEYS)
    def test_well_formed_keys_are_accepted(self, store: BlobStore, key: str) -> None:
        ref = store.put_bytes(key, b"x")
        assert store.read(ref.url) == b"x"
        assert self.stored(store) == [key]

    # -- urls -----------------------------------------------------------------------------

    def test_foreign_urls_are_refused(self, store: BlobStore) -> None:
        urls = self.foreign_urls(store)
        assert urls, "the backend names the urls it must refuse"
        not_refused: list[tuple[str, str, str]] = []
        for url in urls:
            for operation in (store.open, store.read, store.exists, store.delete, store.key_of):
                try:
                    operation(url)
                except ForeignBlobUrlError:
                    continue
                except Exception as exc:
                    not_refused.append((url, operation.__name__, type(exc).__name__))
                else:
                    not_refused.append((url, operation.__name__, "no error"))
        assert not_refused == []

    def test_missing_blob_is_not_found(self, store: BlobStore) -> None:
        url = self.url_of(store, "t/missing")
        with pytest.raises(BlobNotFoundError, match=r"^no blob t/missing in the blob store$"):
            store.read(url)
        with pytest.raises(BlobNotFoundError) as raised:
            store.open(url)
        assert raised.value.url == url
        assert raised.value.key == "t/missing"
        with pytest.raises(BlobNotFoundError):
            store.verify(BlobRef(url=url, sha256=sha256(b""), size=0))
        assert store.exists(url) is False

    def test_a_key_prefix_is_not_a_blob(self, store: BlobStore) -> None:
        store.put_bytes("t/doc/original", b"x")
        prefix_url = self.url_of(store, "t/doc")
        assert store.exists(prefix_url) is False
        with pytest.raises(BlobNotFoundError):
            store.read(prefix_url)
        store.delete(prefix_url)
        assert store.exists(self.url_of(store, "t/doc/original"))

    def test_delete_removes_the_blob_and_is_idempotent(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b"x")
        store.delete(ref.url)
        assert not store.exists(ref.url)
        store.delete(ref.url)
        assert not store.exists(ref.url)
        assert self.stored(store) == []

    # -- integrity ------------------------------------------------------------------------

    def test_verify_accepts_the_blob_it_stored(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b"intact content")
        store.verify(ref)

    def test_verify_detects_a_flipped_byte(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b"intact content")
        damaged = bytearray(b"intact content")
        damaged[3] ^= 0x01
        self.overwrite(store, KEY, bytes(damaged))
        with pytest.raises(BlobIntegrityError) as raised:
            store.verify(ref)
        assert raised.value.actual_size == ref.size
        assert raised.value.actual_sha256 == sha256(bytes(damaged))
        with pytest.raises(BlobIntegrityError):
            store.read_verified(ref, max_bytes=MiB)

    def test_verify_detects_a_size_mismatch(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b"intact content")
        with pytest.raises(BlobIntegrityError):
            store.verify(ref.model_copy(update={"size": ref.size + 1}))

    def test_read_verified_returns_the_blob_it_stored(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b"intact content")
        assert store.read_verified(ref, max_bytes=ref.size) == b"intact content"

    def test_read_verified_notices_content_longer_than_its_reference(
        self, store: BlobStore
    ) -> None:
        ref = store.put_bytes(KEY, b"intact content")
        self.overwrite(store, KEY, b"intact content and more")
        with pytest.raises(BlobIntegrityError) as raised:
            store.read_verified(ref, max_bytes=1024)
        assert raised.value.actual_size == ref.size + 1  # one byte past the claim, no more

    def test_read_verified_refuses_a_reference_above_the_limit_before_reading(
        self, store: BlobStore
    ) -> None:
        ref = store.put_bytes(KEY, b"intact content")
        store.delete(ref.url)  # reading would raise BlobNotFoundError: the limit comes first
        with pytest.raises(BlobTooLargeError, match="blob of 14 bytes exceeds the size limit"):
            store.read_verified(ref, max_bytes=13)

    # -- claim-checked results ------------------------------------------------------------

    def test_load_parses_the_result_of_its_document(self, store: BlobStore) -> None:
        result = Result(document_id="doc-1", pages=["a"])
        ref = store.put_bytes(KEY, result.model_dump_json().encode())
        assert store.load(ref, Result, max_bytes=MiB, document_id="doc-1") == result

    def test_load_names_what_is_wrong_never_the_content(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b'{"document_id": "doc-1", "pages": "Acme pays $5M to Globex"}')
        with pytest.raises(BlobContentError, match=r"not a valid Result: pages: Input should be"):
            store.load(ref, Result, max_bytes=MiB, document_id="doc-1")
        with pytest.raises(BlobContentError) as raised:
            store.load(ref, Result, max_bytes=MiB, document_id="doc-1")
        assert "Acme" not in str(raised.value)
        assert isinstance(raised.value, PermanentError)

    def test_load_refuses_another_documents_result(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, Result(document_id="doc-2", pages=[]).model_dump_json().encode())
        with pytest.raises(BlobContentError, match="Result of another document, not of 'doc-1'"):
            store.load(ref, Result, max_bytes=MiB, document_id="doc-1")

    def test_load_keeps_the_size_limit_and_the_integrity_check(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, Result(document_id="doc-1", pages=[]).model_dump_json().encode())
        with pytest.raises(BlobTooLargeError):
            store.load(ref, Result, max_bytes=ref.size - 1, document_id="doc-1")
        forged = ref.model_copy(update={"sha256": sha256(b"other")})
        with pytest.raises(BlobIntegrityError):
            store.load(forged, Result, max_bytes=MiB, document_id="doc-1")

    def test_save_writes_what_load_reads(self, store: BlobStore) -> None:
        ref = store.save(KEY, Result(document_id="doc-1", pages=["a"]))
        assert store.load(ref, Result, max_bytes=MiB, document_id="doc-1").pages == ["a"]

    @pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
    def test_save_refuses_a_number_json_cannot_hold_and_names_its_field(
        self, store: BlobStore, value: float
    ) -> None:
        result = Scored(document_id="doc-1", scores={"pages": [0.5, value]})
        with pytest.raises(NonFiniteNumberError) as raised:
            store.save(KEY, result)
        assert str(raised.value) == (
            f"Scored field scores.pages.1 is {value}, not a finite number: JSON cannot hold it"
        )
        assert isinstance(raised.value, PermanentError)
        assert self.stored(store) == []

    # -- errors name blobs by key, never by where they are --------------------------------

    def test_errors_about_a_stored_blob_name_its_key(self, store: BlobStore) -> None:
        ref = store.put_bytes(KEY, b'{"document_id": "doc-2", "pages": []}')
        forged = ref.model_copy(update={"sha256": sha256(b"x")})
        with pytest.raises(BlobIntegrityError, match=rf"^blob {KEY} does not match its reference"):
            store.read_verified(forged, max_bytes=MiB)
        with pytest.raises(BlobIntegrityError, match=rf"^blob {KEY} does not match its reference"):
            store.verify(forged)
        with pytest.raises(BlobContentError, match=rf"^blob {KEY} is the Result of another doc"):
            store.load(ref, Result, max_bytes=MiB, document_id="doc-1")
        with pytest.raises(BlobContentError, match=rf"^blob {KEY} is not a valid BlobRef: url: "):
            store.load(ref, BlobRef, max_bytes=MiB, document_id="doc-2")

    # -- concurrency ----------------------------------------------------------------------

    def test_concurrent_puts_of_one_key_leave_one_complete_blob(self, store: BlobStore) -> None:
        contents = [bytes([i]) * (256 * 1024 + i) for i in range(8)]
        refs: list[BlobRef] = []
        torn: list[bytes] = []
        barrier = threading.Barrier(len(contents) + 1)
        done = threading.Event()
        url = self.url_of(store, KEY)

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

        assert store.read(url) in contents
        assert torn == []
        assert sorted(r.sha256 for r in refs) == sorted(sha256(c) for c in contents)
        assert self.stored(store) == [KEY]

    def test_concurrent_puts_of_different_keys_all_land(self, store: BlobStore) -> None:
        keys = [f"t/2026/11/23/doc-{i}/original" for i in range(16)]
        threads = [threading.Thread(target=store.put_bytes, args=(k, k.encode())) for k in keys]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for key in keys:
            assert store.read(self.url_of(store, key)) == key.encode()
        assert self.stored(store) == sorted(keys)
