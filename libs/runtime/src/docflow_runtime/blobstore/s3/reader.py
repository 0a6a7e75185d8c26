"""A blob read from S3 as a stream, with S3's failures turned into blob store errors."""

import io
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError

from docflow_runtime.blobstore.base import CHUNK_SIZE
from docflow_runtime.blobstore.s3.errors import from_botocore_error

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from botocore.response import StreamingBody


class _BodyReader(io.RawIOBase):
    """botocore's streaming body as a raw stream, read at most a chunk at a time so that a
    large ``read(n)`` never holds two copies of the content."""

    def __init__(self, body: "StreamingBody", key: str) -> None:
        self._body = body
        self._key = key

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "WriteableBuffer", /) -> int:
        with memoryview(buffer) as target, target.cast("B") as view:
            try:
                data = self._body.read(min(view.nbytes, CHUNK_SIZE))
            except BotoCoreError as exc:
                raise from_botocore_error(exc, self._key, "GetObject") from exc
            view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


def blob_stream(body: "StreamingBody", key: str) -> io.BufferedReader:
    """A buffered, closable binary stream of ``body``."""
    return io.BufferedReader(_BodyReader(body, key), buffer_size=CHUNK_SIZE)
