"""The whole pipeline on the production backends, chosen by settings alone: blobs in S3, results
in PostgreSQL or DynamoDB, extraction by Textract, enrichment by Bedrock or an OpenAI-compatible
server. S3 and DynamoDB are moto's server, PostgreSQL a real one, Textract and the models small
stand-ins speaking their wire formats; every service is its own process, as in a cluster."""

import json
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import boto3
import psycopg
import pytest

from docflow_results.factory import repository_from_url
from docflow_results.models import DocumentStatus
from docflow_testing.llm_servers import chat_echo, converse_echo, document_facts, model_server
from docflow_testing.samples import read_pdf
from docflow_testing.textract_server import analysis_of, fake_textract, job_pages
from docflow_tools.stack import local_stack

TENANT: Final = "aws"
KEY: Final = "aws-key"
FAST_RETRIES: Final = {
    "DOCFLOW_RETRY_INITIAL_BACKOFF_SECONDS": "0.1", "DOCFLOW_RETRY_MAX_ATTEMPTS": "3",
}  # fmt: skip
HAIKU: Final = "us.anthropic.claude-3-5-haiku-20241022-v1:0"
NDA: Final = "kleister-nda/0564e5bce70dd2df5473d64da16ddbe3.pdf"
INVOICE: Final = "invoices/coolblue1.pdf"
NDA_FACTS: Final = document_facts(
    document_type="nda", type_confidence=0.95,
    parties=["Wells Fargo Securities LLC", "ABC-Mart Inc."],
    jurisdiction="Delaware", term="3 years",
    summary="A confidentiality agreement between Wells Fargo Securities LLC and ABC-Mart Inc.",
)  # fmt: skip
INVOICE_FACTS: Final = document_facts(
    document_type="invoice", type_confidence=0.97, issuer="Coolblue B.V.",
    invoice_number="993548900", issue_date="2014-04-19",
    total={"value": 717.97, "currency": "EUR", "context": "Totaal € 717,97"},
    summary="An invoice from Coolblue B.V. for tablets, covers and games.",
)  # fmt: skip


@pytest.fixture
def bucket(aws_endpoint: str) -> str:
    name = f"docflow-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=aws_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def nda_pages(samples: Path) -> list[str]:
    return [page.text for page in read_pdf(samples / NDA).pages]


def test_s3_postgresql_textract_and_bedrock(
    kafka_bootstrap: str, aws_endpoint: str, postgres_schema_url: str, bucket: str,
    nda_pages: list[str], samples: Path, tmp_path: Path,
) -> None:  # fmt: skip
    with fake_textract() as textract, model_server([converse_echo(NDA_FACTS)]) as bedrock:
        # The stand-in gives the document's own text back, as Textract would read it.
        textract.answer("GetDocumentAnalysis", *job_pages(analysis_of(nda_pages), 2))
        env = _s3(aws_endpoint, bucket) | {
            "DOCFLOW_STORE_URL": postgres_schema_url,
            "DOCFLOW_EXTRACT_BACKEND": "textract",
            "DOCFLOW_TEXTRACT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_TEXTRACT": textract.url,
            "DOCFLOW_ENRICH_BACKEND": "bedrock",
            "DOCFLOW_ENRICH_BEDROCK_ENDPOINT_URL": bedrock.url,
            "DOCFLOW_ENRICH_BEDROCK_MODEL_ID": HAIKU,
        }
        document = _settled(kafka_bootstrap, tmp_path, env, samples / NDA, document_type="nda")
        assert textract.operations()[0] == "StartDocumentAnalysis"
    result = document["result"]
    assert result["entities"]["parties"] == NDA_FACTS["parties"]
    assert result["ungrounded"] == []
    assert [page["method"] for page in result["pages"]] == ["textract"] * len(nda_pages)
    extract, enrich = result["costs"]["extract"], result["costs"]["enrich"]
    pages = len(nda_pages)
    assert extract["units"] == {"forms_pages": pages, "tables_pages": pages}
    assert extract["usd"] == pytest.approx(pages * (0.05 + 0.015))
    assert (enrich["backend"], enrich["model"]) == ("bedrock", HAIKU)
    tokens = enrich["units"]
    assert tokens["input_tokens"] > 1000
    assert enrich["usd"] == pytest.approx(
        tokens["input_tokens"] * 0.8e-6 + tokens["output_tokens"] * 4e-6, rel=1e-4
    )
    assert result["cost_usd"] == pytest.approx(extract["usd"] + enrich["usd"], abs=1e-6)
    assert _stored_in_postgres(postgres_schema_url, document["id"])
    assert _keys(aws_endpoint, bucket) >= {"original", "extraction.json", "enrichment.json"}


def test_s3_dynamodb_and_an_openai_compatible_server(
    kafka_bootstrap: str, aws_endpoint: str, bucket: str, samples: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    table = f"docflow-{uuid.uuid4().hex[:12]}"
    prices = {"openai/llama3.1:8b/input_tokens": 1e-7, "openai/llama3.1:8b/output_tokens": 2e-7}
    with model_server([chat_echo(json.dumps(INVOICE_FACTS))]) as server:
        env = _s3(aws_endpoint, bucket) | {
            "DOCFLOW_STORE_URL": f"dynamodb://{table}",
            "AWS_ENDPOINT_URL_DYNAMODB": aws_endpoint,
            "DOCFLOW_ENRICH_BACKEND": "openai",
            "DOCFLOW_ENRICH_OPENAI_BASE_URL": f"{server.url}/v1",
            "DOCFLOW_ENRICH_OPENAI_MODEL": "llama3.1:8b",
            "DOCFLOW_PRICES": json.dumps(prices),
        }
        document = _settled(kafka_bootstrap, tmp_path, env, samples / INVOICE)
        assert server.requests[0].path == "/v1/chat/completions"
    result = document["result"]
    entities = result["entities"]
    assert (entities["issuer"], entities["invoice_number"]) == ("Coolblue B.V.", "993548900")
    assert entities["total"]["value"] == 717.97
    assert result["ungrounded"] == []
    extract, enrich = result["costs"]["extract"], result["costs"]["enrich"]
    assert extract["usd"] == 0
    tokens = enrich["units"]
    assert enrich["usd"] == pytest.approx(
        tokens["input_tokens"] * 1e-7 + tokens["output_tokens"] * 2e-7, rel=1e-4
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", aws_endpoint)
    repository = repository_from_url(f"dynamodb://{table}")
    try:
        stored = repository.get(TENANT, document["id"])
    finally:
        repository.close()
    assert stored is not None
    assert stored.status == DocumentStatus.STORED
    assert _keys(aws_endpoint, bucket) >= {"original", "extraction.json", "enrichment.json"}


def _settled(
    bootstrap: str, root: Path, env: Mapping[str, str], path: Path, **form: str
) -> dict[str, Any]:
    with local_stack(bootstrap, root, {TENANT: KEY}, dict(env) | FAST_RETRIES) as stack:
        document = stack.settle(stack.submit(path, **form))
        assert document["status"] == "stored", stack.diagnostics()
        return document


def _s3(endpoint: str, bucket: str) -> dict[str, str]:
    return {"DOCFLOW_BLOB_URL": f"s3://{bucket}/docflow", "AWS_ENDPOINT_URL_S3": endpoint}


def _keys(endpoint: str, bucket: str) -> set[str]:
    """The last part of every key in the bucket: what kinds of blob are there."""
    s3 = boto3.client("s3", endpoint_url=endpoint)
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="docflow/")
    return {item["Key"].rsplit("/", 1)[-1] for item in _contents(listed)}


def _contents(listed: Any) -> Iterator[dict[str, Any]]:
    yield from listed.get("Contents", [])


def _stored_in_postgres(url: str, document_id: str) -> bool:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT status FROM documents WHERE id = %s", (document_id,)
        ).fetchone()
    return row is not None and row[0] == "stored"
