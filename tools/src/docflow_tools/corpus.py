"""Where evaluations and benchmarks find documents: the folder given on the command line, else
the larger corpus beside the checkout (``../shared/corpus``), else the repository's samples.

Each says plainly which one it read, so a number is never mistaken for another set's.
"""

import sys
from pathlib import Path
from typing import Final

from docflow_testing.samples import samples_dir

#: The checkout this package was installed from (``tools/src/docflow_tools/corpus.py``).
REPOSITORY: Final = Path(__file__).resolve().parents[3]
#: The larger corpus evaluations and benchmarks read when it is there; tests never do.
EVALUATION_CORPUS: Final = REPOSITORY.parent / "shared" / "corpus"


def choose_corpus(given: Path | None) -> Path:
    """The folder to read (with ``kleister-nda/`` and ``invoices/`` in it), announced on stderr."""
    if given is not None:
        if not given.is_dir():
            raise SystemExit(f"docflow: no corpus at {given}")
        _say(f"corpus: {given}")
        return given
    if EVALUATION_CORPUS.is_dir():
        _say(f"corpus: {EVALUATION_CORPUS}")
        return EVALUATION_CORPUS
    samples = samples_dir()
    _say(
        f"corpus: none at {EVALUATION_CORPUS}; reading the sample documents in {samples} instead "
        "(pass --corpus DIR for a larger set)"
    )
    return samples


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
