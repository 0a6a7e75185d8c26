"""The local backend: every document is parsed in a limited child process of a warm pool."""

from typing import ClassVar

from docflow_events.v1 import ExtractionResult
from docflow_extract.backends.base import Extraction, ExtractionBackend, ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.local.child import ChildReply
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.local.pool import ParserPool


class LocalBackend(ExtractionBackend):
    name: ClassVar[str] = "local"

    def __init__(
        self,
        limits: ParserLimits,
        *,
        pool_size: int = 2,
        timeout_seconds: float = 300.0,
        max_documents_per_child: int = 200,
    ) -> None:
        self._limits = limits
        self._pool = ParserPool(
            limits,
            size=pool_size,
            timeout_seconds=timeout_seconds,
            max_documents_per_child=max_documents_per_child,
        )

    def extract(self, request: ExtractionRequest) -> ExtractionResult:
        return self.extract_with_attachments(request).result

    def extract_with_attachments(self, request: ExtractionRequest) -> Extraction:
        reply = self._pool.run(request)
        return Extraction(result=self._result(reply), attachments=reply.attachments)

    def close(self) -> None:
        self._pool.close()

    def child_pids(self) -> list[int]:
        """Process ids of the parser children currently running."""
        return self._pool.child_pids()

    def _result(self, reply: ChildReply) -> ExtractionResult:
        if reply.outcome == "ok" and reply.result is not None:
            return reply.result
        if reply.outcome == "rejected":
            raise DocumentRejectedError(reply.reason)
        if reply.outcome == "out_of_memory":
            raise DocumentRejectedError(
                f"parsing needed more memory than the limit of {self._limits.address_space_mib} MiB"
            )
        raise ExtractionFailedError(f"the local extraction backend failed: {reply.reason}")
