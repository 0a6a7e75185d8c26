"""The extract stage's own local backend, as the pipeline would run it on a training document."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docflow_events.v1 import ExtractionResult
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.factory import backend_from_settings
from docflow_extract.settings import ExtractSettings
from docflow_tools.eval.pipeline import media_type
from docflow_tools.train.cache import Extractor


@contextmanager
def local_extractor(settings: ExtractSettings) -> Iterator[Extractor]:
    """A function extracting one file with the local backend the settings describe."""
    backend = backend_from_settings(settings)

    def extract(path: Path) -> ExtractionResult:
        request = ExtractionRequest(
            document_id=path.stem, media_type=media_type(path), content=path.read_bytes()
        )
        return backend.extract(request)

    try:
        yield extract
    finally:
        backend.close()
