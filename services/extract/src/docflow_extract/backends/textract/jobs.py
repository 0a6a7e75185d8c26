"""Async Textract jobs: start one (once per document run), wait for it, read every result page."""

import hashlib
import time
from collections.abc import Callable
from typing import Final

from mypy_boto3_textract.type_defs import DocumentLocationTypeDef
from pydantic import BaseModel, ConfigDict, Field

from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.textract.calls import Kind, Response, TextractCalls
from docflow_extract.backends.textract.errors import TextractJobPendingError, public_reason
from docflow_extract.backends.textract.options import PollPolicy

#: At most 1000 blocks a page: far beyond any document docflow accepts (2000 pages).
MAX_RESULT_PAGES: Final = 10_000
_DONE: Final = frozenset({"SUCCEEDED", "PARTIAL_SUCCESS"})


class JobStatus(BaseModel):
    """The part of a Get… answer that says where the job stands."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    status: str = Field(alias="JobStatus")
    message: str | None = Field(default=None, alias="StatusMessage")
    next_token: str | None = Field(default=None, alias="NextToken")


def request_token(document_id: str, run: int, content_sha256: str) -> str:
    """The ClientRequestToken of a document's run: a redelivered event gets the job already
    started for it instead of a second one (and a second bill). 64 hex digits fit the API's
    limit and alphabet."""
    return hashlib.sha256(f"{document_id}\n{run}\n{content_sha256}".encode()).hexdigest()


class JobRunner:
    def __init__(
        self,
        calls: TextractCalls,
        poll: PollPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._calls = calls
        self._poll = poll
        self._sleep = sleep
        self._clock = clock

    def run(self, kind: Kind, location: DocumentLocationTypeDef, token: str) -> list[Response]:
        """Every result page of the job for ``token``, started if it is not yet."""
        job_id = self._calls.start(kind, location, token)
        first = self._finished(kind, job_id)
        return self._pages(kind, job_id, first)

    def _finished(self, kind: Kind, job_id: str) -> Response:
        deadline = self._clock() + self._poll.total_seconds
        pause = self._poll.initial_seconds
        while True:
            answer = self._calls.get(kind, job_id, None)
            status = JobStatus.model_validate(answer)
            if status.status in _DONE:
                return answer
            if status.status == "FAILED":
                reason = public_reason(status.message or "")
                raise DocumentRejectedError(f"Textract could not read the document: {reason}")
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise TextractJobPendingError(
                    f"the Textract job is still {status.status} after "
                    f"{self._poll.total_seconds:g} s",
                    retry_after=self._poll.max_seconds,
                )
            self._sleep(min(pause, remaining))
            pause = min(pause * 2, self._poll.max_seconds)

    def _pages(self, kind: Kind, job_id: str, first: Response) -> list[Response]:
        pages = [first]
        token = JobStatus.model_validate(first).next_token
        while token is not None:
            if len(pages) >= MAX_RESULT_PAGES:
                raise ExtractionFailedError("the Textract job returned too many result pages")
            page = self._calls.get(kind, job_id, token)
            pages.append(page)
            token = JobStatus.model_validate(page).next_token
        return pages
