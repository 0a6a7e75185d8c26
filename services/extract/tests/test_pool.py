"""The warm pool's isolation: time and memory limits, crashes, and recycling of children."""

import gc
import os
import signal
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import ParserLimits
from docflow_testing.processes import process_exists

TEXT = ExtractionRequest(document_id="t", media_type="text/plain", content=b"Total: 5.00\n")


@pytest.fixture
def make_backend() -> Iterator[list[LocalBackend]]:
    made: list[LocalBackend] = []
    yield made
    for backend in made:
        backend.close()


def _backend(
    made: list[LocalBackend], limits: ParserLimits | None = None, **options: float
) -> LocalBackend:
    backend = LocalBackend(
        limits or ParserLimits(),
        pool_size=1,
        timeout_seconds=options.get("timeout_seconds", 60.0),
        max_documents_per_child=int(options.get("max_documents_per_child", 50)),
    )
    made.append(backend)
    return backend


def _scan(samples: Path) -> ExtractionRequest:
    content = (samples / "invoices" / "AmazonWebServices.png").read_bytes()
    return ExtractionRequest(document_id="scan", media_type="image/png", content=content)


def test_overrunning_child_is_killed_and_the_pool_keeps_working(
    make_backend: list[LocalBackend], samples: Path
) -> None:
    backend = _backend(make_backend, timeout_seconds=0.5)
    (first,) = backend.child_pids()
    with pytest.raises(DocumentRejectedError, match=r"longer than the limit of 0\.5 s"):
        backend.extract(_scan(samples))  # OCR of a full invoice takes over a second
    assert not process_exists(first)
    assert backend.extract(TEXT).pages[0].text == "Total: 5.00"
    assert backend.child_pids() != [first]


def test_memory_limit_refuses_the_document_and_the_next_one_works(
    make_backend: list[LocalBackend],
) -> None:
    # A child starts with about 200 MiB of address space, 320 where numpy is installed (openpyxl
    # imports it); decoding the 16000² image needs 256 MiB more than that.
    limits = ParserLimits(memory_mib=500, max_image_pixels=300_000_000)
    backend = _backend(make_backend, limits)
    bomb = ExtractionRequest(
        document_id="big", media_type="image/png", content=_black_png(16_000, 16_000)
    )
    with pytest.raises(DocumentRejectedError, match="more memory than the limit of 500 MiB"):
        backend.extract(bomb)
    assert backend.extract(TEXT).pages[0].text == "Total: 5.00"


def test_child_killed_while_parsing_is_an_explained_failure(
    make_backend: list[LocalBackend], samples: Path
) -> None:
    backend = _backend(make_backend)
    (pid,) = backend.child_pids()
    killer = threading.Timer(0.3, os.kill, (pid, signal.SIGKILL))
    killer.start()
    try:
        with pytest.raises(DocumentRejectedError, match=r"killed \(SIGKILL\)"):
            backend.extract(_scan(samples))
    finally:
        killer.join()
    assert backend.extract(TEXT).pages[0].text == "Total: 5.00"


def test_child_that_died_while_idle_is_replaced_before_use(
    make_backend: list[LocalBackend],
) -> None:
    backend = _backend(make_backend)
    (pid,) = backend.child_pids()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while pid in backend.child_pids() and not _dead_or_zombie(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert backend.extract(TEXT).pages[0].text == "Total: 5.00"
    assert backend.child_pids() != [pid]


def test_children_are_recycled_after_their_document_quota(
    make_backend: list[LocalBackend],
) -> None:
    backend = _backend(make_backend, max_documents_per_child=2)
    pids = []
    for _ in range(4):
        pids.append(backend.child_pids()[0])
        backend.extract(TEXT)
    assert pids[0] == pids[1] != pids[2] == pids[3]


def test_closed_backend_refuses_work(make_backend: list[LocalBackend]) -> None:
    backend = _backend(make_backend)
    (pid,) = backend.child_pids()
    backend.close()
    assert not process_exists(pid)
    with pytest.raises(RuntimeError, match="closed"):
        backend.extract(TEXT)


def _dead_or_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _black_png(width: int, height: int) -> bytes:
    """A real all-black grayscale PNG, compressed row by row without holding the pixels."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # the filter byte, then the pixels
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        _chunk(kind, body) for kind, body in ((b"IHDR", header), (b"IDAT", data), (b"IEND", b""))
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def test_a_reply_leaves_the_garbage_collector_as_it_found_it(
    make_backend: list[LocalBackend], samples: Path
) -> None:
    backend = _backend(make_backend)
    content = (samples / "invoices" / "AmazonWebServices.pdf").read_bytes()
    request = ExtractionRequest(document_id="pdf", media_type="application/pdf", content=content)
    assert backend.extract(request).pages[0].lines  # a reply with word boxes to validate
    assert gc.isenabled()
    gc.disable()
    try:
        backend.extract(request)
        assert not gc.isenabled()
    finally:
        gc.enable()
