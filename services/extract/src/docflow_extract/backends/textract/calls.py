"""The Textract API calls, one per kind of reading, with failures already classified.

``analysis`` reads forms and tables (AnalyzeDocument), ``text`` only lines (DetectDocumentText),
``expense`` invoices and receipts (AnalyzeExpense); each has a synchronous call for one page
sent as bytes and an async job for documents in S3.
"""

from collections.abc import Mapping
from typing import Any, Final, Literal

from mypy_boto3_textract import TextractClient
from mypy_boto3_textract.type_defs import DocumentLocationTypeDef

from docflow_extract.backends.textract.errors import textract_call
from docflow_extract.backends.textract.options import Feature

Kind = Literal["analysis", "text", "expense"]
Response = dict[str, Any]

#: The most a Get… call returns at once.
MAX_RESULTS: Final = 1000
_JOB_TAG: Final = "docflow"


class TextractCalls:
    def __init__(self, client: TextractClient, features: tuple[Feature, ...]) -> None:
        self._client = client
        self._features: list[Feature] = list(features)

    @property
    def kind(self) -> Kind:
        """The reading for documents that are not expenses: text only without features."""
        return "analysis" if self._features else "text"

    def analyze(self, kind: Kind, content: bytes) -> Response:
        with textract_call(f"{kind} of one page"):
            if kind == "expense":
                return _plain(self._client.analyze_expense(Document={"Bytes": content}))
            if kind == "text":
                return _plain(self._client.detect_document_text(Document={"Bytes": content}))
            return _plain(
                self._client.analyze_document(
                    Document={"Bytes": content}, FeatureTypes=self._features
                )
            )

    def start(self, kind: Kind, location: DocumentLocationTypeDef, token: str) -> str:
        """The id of the job for ``token``: Textract answers a repeated token with its job."""
        with textract_call(f"starting a {kind} job"):
            if kind == "expense":
                return self._client.start_expense_analysis(
                    DocumentLocation=location, ClientRequestToken=token, JobTag=_JOB_TAG
                )["JobId"]
            if kind == "text":
                return self._client.start_document_text_detection(
                    DocumentLocation=location, ClientRequestToken=token, JobTag=_JOB_TAG
                )["JobId"]
            return self._client.start_document_analysis(
                DocumentLocation=location,
                FeatureTypes=self._features,
                ClientRequestToken=token,
                JobTag=_JOB_TAG,
            )["JobId"]

    def get(self, kind: Kind, job_id: str, next_token: str | None) -> Response:
        paging = {} if next_token is None else {"NextToken": next_token}
        with textract_call(f"reading a {kind} job"):
            if kind == "expense":
                return _plain(
                    self._client.get_expense_analysis(
                        JobId=job_id, MaxResults=MAX_RESULTS, **paging
                    )
                )
            if kind == "text":
                return _plain(
                    self._client.get_document_text_detection(
                        JobId=job_id, MaxResults=MAX_RESULTS, **paging
                    )
                )
            return _plain(
                self._client.get_document_analysis(JobId=job_id, MaxResults=MAX_RESULTS, **paging)
            )


def _plain(response: Mapping[str, Any]) -> Response:
    return {name: value for name, value in response.items() if name != "ResponseMetadata"}
