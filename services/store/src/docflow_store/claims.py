"""Reading what a claim check points at, and checking it is what the event promised."""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from docflow_events.v1 import BlobRef
from docflow_runtime.blobstore import BlobStore
from docflow_runtime.errors import PermanentError

M = TypeVar("M", bound=BaseModel)

#: Results are JSON documents of a few megabytes at most; anything far larger is not one.
MAX_RESULT_BYTES = 64 * 1024 * 1024


def load_result(blobs: BlobStore, ref: BlobRef, model: type[M]) -> M:
    """The blob at ``ref`` parsed as ``model``; PermanentError when it cannot be that."""
    if ref.size > MAX_RESULT_BYTES:
        raise PermanentError(f"result blob of {ref.size} bytes is larger than any result")
    data = blobs.read_verified(ref)
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise PermanentError(
            f"blob {ref.url} is not a valid {model.__name__}: {exc.error_count()} errors"
        ) from exc
