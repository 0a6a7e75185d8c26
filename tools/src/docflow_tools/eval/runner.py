"""Documents through the pipeline on a pool of processes, one pipeline per process."""

import atexit
import multiprocessing
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docflow_runtime.logging import configure_logging
from docflow_tools.eval.pipeline import Outcome, Pipeline

_pipeline: Pipeline | None = None


def run_documents(
    jobs: list[tuple[Path, str]],
    *,
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """The outcome of every ``(path, corpus)`` job, in the order given."""
    if workers < 1:
        raise ValueError(f"the number of workers must be at least 1, not {workers}")
    with (
        tempfile.TemporaryDirectory(prefix="docflow-eval-") as scratch,
        ProcessPoolExecutor(
            max_workers=workers,
            # A fresh interpreter per worker: nothing of this process (threads, open
            # pools) is inherited, and its exit runs the pipeline's clean-up.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(Path(scratch),),
        ) as pool,
    ):
        outcomes = []
        for done, outcome in enumerate(_mapped(pool, jobs), start=1):
            outcomes.append(outcome)
            if progress is not None:
                progress(done, len(jobs))
        return outcomes


def _mapped(pool: ProcessPoolExecutor, jobs: list[tuple[Path, str]]) -> Iterator[Outcome]:
    paths = [path for path, _ in jobs]
    corpora = [corpus for _, corpus in jobs]
    yield from pool.map(_run, paths, corpora)


def _start(scratch: Path) -> None:
    global _pipeline  # noqa: PLW0603 - one pipeline per worker process, built once
    # A stage logs a line per document; only what went wrong belongs beside the table.
    configure_logging("eval", "WARNING", json=False)
    _pipeline = Pipeline(scratch)
    atexit.register(_pipeline.close)


def _run(path: Path, corpus: str) -> Outcome:
    if _pipeline is None:
        raise RuntimeError("the evaluation worker was not started")
    return _pipeline.run(path, corpus)
