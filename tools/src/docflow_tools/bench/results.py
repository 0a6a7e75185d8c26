"""How fast a results store takes the tracker's writes: ``python -m docflow_tools.bench.results``.

Each document is created and then sees the six events of a full run (or the first ``--events``),
from several threads at once, as a tracker worker and ingest would write. The store is a SQLite
file in a temporary directory, or the one ``--store-url`` names (a PostgreSQL store is migrated
first; the documents written stay in it). Prints numbers; passes or fails nothing.
"""

import argparse
import contextlib
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docflow_results.factory import repository_from_url
from docflow_results.models import DocumentStatus
from docflow_results.postgres import PoolOptions, migrate_url
from docflow_results.postgres.connection import SCHEMES as POSTGRES_SCHEMES
from docflow_results.repository import Repository
from docflow_results.sqlite import SqliteRepository
from docflow_testing.results import T0, new_document

_RUN = (
    DocumentStatus.RECEIVED, DocumentStatus.EXTRACTED, DocumentStatus.VALIDATED,
    DocumentStatus.ENRICHED, DocumentStatus.STORED, DocumentStatus.STORED,
)  # fmt: skip


def _one_document(repository: Repository, events: int) -> None:
    document, _ = repository.create(new_document(created_at=T0))
    for status in _RUN[:events]:
        repository.record_event(
            document.tenant, document.id, event_id=str(uuid.uuid4()), event_type="bench",
            at=T0, status=status, detail={"handler_seconds": 0.1},
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--events", type=int, default=len(_RUN), choices=range(len(_RUN) + 1))
    parser.add_argument("--store-url", help="the store to write to (default: a SQLite file)")
    args = parser.parse_args()
    with _store(args.store_url, args.threads) as repository:
        started = time.perf_counter()
        with ThreadPoolExecutor(args.threads) as pool:
            futures = [pool.submit(_one_document, repository, args.events)
                       for _ in range(args.documents)]  # fmt: skip
            for future in futures:
                future.result()
        seconds = time.perf_counter() - started
    writes = args.documents * (1 + args.events)
    print(f"{repository.kind}: {args.documents} documents, {writes} writes, "
          f"{args.threads} threads: {seconds:.2f} s, {writes / seconds:.0f} writes/s, "
          f"{args.documents / seconds:.0f} documents/s")  # fmt: skip


@contextlib.contextmanager
def _store(url: str | None, threads: int) -> Iterator[Repository]:
    with contextlib.ExitStack() as stack:
        if url is None:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            repository: Repository = SqliteRepository(directory / "bench.db")
        else:
            pool = PoolOptions(max_size=threads)
            if url.split(":", 1)[0].lower() in POSTGRES_SCHEMES:
                migrate_url(url, pool)
            repository = repository_from_url(url, pool=pool)
        stack.callback(repository.close)
        yield repository


if __name__ == "__main__":
    main()
