"""How fast the SQLite store takes the tracker's writes: ``python -m docflow_tools.bench.results``.

Each document is created and then sees the six events of a full run, from several threads at
once, as a tracker worker and ingest would write. Prints numbers; passes or fails nothing.
"""

import argparse
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docflow_results.models import DocumentStatus
from docflow_results.sqlite import SqliteRepository
from docflow_testing.results import T0, new_document

_RUN = (
    DocumentStatus.RECEIVED, DocumentStatus.EXTRACTED, DocumentStatus.VALIDATED,
    DocumentStatus.ENRICHED, DocumentStatus.STORED, DocumentStatus.STORED,
)  # fmt: skip


def _one_document(repository: SqliteRepository) -> None:
    document, _ = repository.create(new_document(created_at=T0))
    for status in _RUN:
        repository.record_event(
            document.tenant, document.id, event_id=str(uuid.uuid4()), event_type="bench",
            at=T0, status=status, detail={"handler_seconds": 0.1},
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        repository = SqliteRepository(Path(directory) / "bench.db")
        started = time.perf_counter()
        with ThreadPoolExecutor(args.threads) as pool:
            for future in [pool.submit(_one_document, repository) for _ in range(args.documents)]:
                future.result()
        seconds = time.perf_counter() - started
        repository.close()
    writes = args.documents * (1 + len(_RUN))
    print(f"{args.documents} documents, {writes} writes, {args.threads} threads: "
          f"{seconds:.2f} s, {writes / seconds:.0f} writes/s, "
          f"{args.documents / seconds:.0f} documents/s")  # fmt: skip


if __name__ == "__main__":
    main()
