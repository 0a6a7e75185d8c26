"""Fixtures for every test in the repository, and a guard: tests never read the
evaluation corpus beside the checkout.

A clone of docflow has nothing beside it, so a test that reads that corpus passes here and
fails for everyone else; the guard makes it fail here too. Tests read ``samples/`` instead
(``docflow_testing.samples``); evaluations and benchmarks, which may read the larger corpus
(``docflow_tools.corpus``), are not tests.
"""

import os
import sys

from docflow_tools.corpus import EVALUATION_CORPUS

pytest_plugins = ["docflow_testing.pytest_plugin"]

_BESIDE = str(EVALUATION_CORPUS)


class ReadBesideRepositoryError(RuntimeError):
    """Not an OSError on purpose: pathlib's glob swallows those and would find nothing."""


_READS = frozenset({"open", "os.listdir", "os.scandir"})


def _refuse_reads_beside_the_repository(event: str, args: tuple[object, ...]) -> None:
    if event not in _READS or not args or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if path == _BESIDE or path.startswith(_BESIDE + os.sep):
        raise ReadBesideRepositoryError(
            f"a test read {path}: a clone of docflow has nothing beside it; use samples/"
        )


sys.addaudithook(_refuse_reads_beside_the_repository)
