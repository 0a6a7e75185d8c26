"""What only the DynamoDB store does: its table, its errors, its indexes, its configuration."""

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from botocore.stub import Stubber
from mypy_boto3_dynamodb import DynamoDBClient

from docflow_results import migrate
from docflow_results.dynamodb import (
    DynamoDbOptions,
    DynamoDbRepository,
    ItemTooLargeError,
    StoreAccessDeniedError,
    StoreThrottledError,
    StoreUnavailableError,
    TableMissingError,
    ensure_table,
    make_client,
)
from docflow_results.dynamodb.table import ATTENTION_INDEX, TENANT_INDEX, TENANT_STATUS_INDEX
from docflow_results.factory import open_repository, repository_from_url
from docflow_results.models import DocumentStatus, WebhookDelivery
from docflow_results.settings import ResultsSettings
from docflow_runtime.errors import ConfigurationError, PermanentError, TransientError
from docflow_testing.results import T0, new_document

_INDEXES = {TENANT_INDEX, TENANT_STATUS_INDEX, ATTENTION_INDEX}


@pytest.fixture
def admin(aws_endpoint: str) -> Iterator[DynamoDBClient]:
    client = make_client(DynamoDbOptions(endpoint_url=aws_endpoint))
    yield client
    client.close()


@pytest.fixture
def table(admin: DynamoDBClient) -> Iterator[str]:
    name = f"docflow-specifics-{uuid.uuid4().hex[:12]}"
    yield name
    if name in admin.list_tables()["TableNames"]:
        admin.delete_table(TableName=name)


@pytest.fixture
def repository(
    aws_endpoint: str, admin: DynamoDBClient, table: str
) -> Iterator[DynamoDbRepository]:
    ensure_table(admin, table)
    repo = DynamoDbRepository(table, options=DynamoDbOptions(endpoint_url=aws_endpoint))
    yield repo
    repo.close()


# -- the table ----------------------------------------------------------------------------


def test_ensure_table_creates_the_table_once_on_demand_with_keys_only_indexes(
    admin: DynamoDBClient, table: str
) -> None:
    assert ensure_table(admin, table) is True
    assert ensure_table(admin, table) is False, "the second run finds it and changes nothing"
    description = admin.describe_table(TableName=table)["Table"]
    assert description["TableStatus"] == "ACTIVE"
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    indexes = description["GlobalSecondaryIndexes"]
    assert {index["IndexName"] for index in indexes} == _INDEXES
    assert {index["Projection"]["ProjectionType"] for index in indexes} == {"KEYS_ONLY"}


def test_ensure_table_adds_an_index_an_older_table_lacks(
    aws_endpoint: str, admin: DynamoDBClient, table: str
) -> None:
    ensure_table(admin, table)
    admin.update_table(
        TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": ATTENTION_INDEX}}]
    )
    with pytest.raises(TableMissingError, match="lacks the index 'by_attention'"):
        DynamoDbRepository(table, options=DynamoDbOptions(endpoint_url=aws_endpoint))
    assert ensure_table(admin, table) is False
    indexes = admin.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"]
    assert {index["IndexName"] for index in indexes} == _INDEXES
    DynamoDbRepository(table, options=DynamoDbOptions(endpoint_url=aws_endpoint)).close()


def test_a_missing_table_is_refused_at_start_with_what_to_run(
    aws_endpoint: str, table: str
) -> None:
    with pytest.raises(TableMissingError, match="run docflow-migrate") as raised:
        DynamoDbRepository(table, options=DynamoDbOptions(endpoint_url=aws_endpoint))
    assert isinstance(raised.value, ConfigurationError)


# -- configuration ------------------------------------------------------------------------


def test_the_store_url_opens_the_table_from_the_aws_environment(
    aws_endpoint: str,
    admin: DynamoDBClient,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ensure_table(admin, table)
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws_endpoint)
    monkeypatch.setenv("DOCFLOW_STORE_URL", f"dynamodb://{table}")
    monkeypatch.setenv("DOCFLOW_STORE_DYNAMODB_RETRY_MODE", "adaptive")
    repo = open_repository(ResultsSettings())
    try:
        assert isinstance(repo, DynamoDbRepository)
        assert repo.kind == "dynamodb"
        config: Any = repo.client.meta.config  # the stubs do not declare what botocore sets
        assert config.retries == {"mode": "adaptive", "total_max_attempts": 5}
        created, _ = repo.create(new_document())
        assert repo.get("acme", created.id) == created
    finally:
        repo.close()


def test_docflow_migrate_creates_the_table_and_runs_again_safely(
    aws_endpoint: str, admin: DynamoDBClient, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws_endpoint)
    monkeypatch.setenv("DOCFLOW_STORE_URL", f"dynamodb://{table}")
    assert migrate.run(ResultsSettings()) == "DynamoDB: table created"
    assert migrate.run(ResultsSettings()) == "DynamoDB: table already there"
    repository_from_url(f"dynamodb://{table}").close()


def test_the_store_url_names_only_a_table() -> None:
    with pytest.raises(ConfigurationError, match="names only a table"):
        repository_from_url("dynamodb://docflow?region=eu-west-1")


# -- errors the stages act on -------------------------------------------------------------


class _Throttling(BaseHTTPRequestHandler):
    """DynamoDB's JSON protocol: DescribeTable answers with a complete table, every other
    operation with the error code the server was given."""

    code: ClassVar[str] = "ProvisionedThroughputExceededException"
    operations: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
        type(self).operations.append(operation)
        if operation == "DescribeTable":
            self._answer(200, {"Table": _ACTIVE_TABLE})
        else:
            error = f"com.amazonaws.dynamodb.v20120810#{self.code}"
            self._answer(400, {"__type": error, "message": "Rate of requests exceeds the limit."})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


_ACTIVE_TABLE = {
    "TableName": "throttled",
    "TableStatus": "ACTIVE",
    "GlobalSecondaryIndexes": [{"IndexName": name, "IndexStatus": "ACTIVE"} for name in _INDEXES],
}


@pytest.fixture
def throttling_server() -> Iterator[tuple[str, type[_Throttling]]]:
    handler = type("Handler", (_Throttling,), {"operations": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.usefixtures("aws_endpoint")  # test credentials in the environment
@pytest.mark.parametrize(
    "code",
    ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"],
)
def test_throttling_over_the_wire_is_transient_after_botocores_retries(
    throttling_server: tuple[str, type[_Throttling]], code: str
) -> None:
    url, handler = throttling_server
    handler.code = code
    options = DynamoDbOptions(endpoint_url=url, max_attempts=2)
    repo = DynamoDbRepository("throttled", options=options)
    try:
        with pytest.raises(StoreThrottledError, match=code) as raised:
            repo.get("acme", "doc-1")
    finally:
        repo.close()
    assert isinstance(raised.value, TransientError)
    assert raised.value.retry_after is not None
    assert handler.operations == ["DescribeTable", "Query", "Query"], "botocore retried once"
    assert url not in str(raised.value)


@pytest.mark.usefixtures("aws_endpoint")
def test_access_refused_is_a_configuration_error_that_stages_retry(
    throttling_server: tuple[str, type[_Throttling]],
) -> None:
    url, handler = throttling_server
    handler.code = "AccessDeniedException"
    repo = DynamoDbRepository("throttled", options=DynamoDbOptions(endpoint_url=url))
    try:
        with pytest.raises(StoreAccessDeniedError, match="IAM policy") as raised:
            repo.get("acme", "doc-1")
    finally:
        repo.close()
    assert isinstance(raised.value, TransientError)
    assert isinstance(raised.value, ConfigurationError)
    assert handler.operations == ["DescribeTable", "Query"], "not retried by botocore"


@pytest.mark.usefixtures("aws_endpoint")
def test_a_store_that_does_not_answer_is_transient() -> None:
    options = DynamoDbOptions(endpoint_url="http://127.0.0.1:9", max_attempts=1)
    with pytest.raises(StoreUnavailableError, match="no answer") as raised:
        DynamoDbRepository("docflow", options=options)
    assert isinstance(raised.value, TransientError)


@pytest.mark.usefixtures("aws_endpoint")
def test_a_transaction_cancelled_by_throttling_is_transient() -> None:
    client = make_client(DynamoDbOptions(endpoint_url="http://127.0.0.1:9"))
    document = new_document()
    with Stubber(client) as stub:
        stub.add_response("describe_table", {"Table": _ACTIVE_TABLE})
        stub.add_response("query", {"Items": [], "Count": 0, "ScannedCount": 0})  # by id
        stub.add_response("get_item", {})  # by content
        stub.add_client_error(
            "transact_write_items",
            service_error_code="TransactionCanceledException",
            modeled_fields={"CancellationReasons": [{"Code": "None"}, {"Code": "ThrottlingError"}]},
        )
        repo = DynamoDbRepository("throttled", client=client)
        with pytest.raises(StoreThrottledError):
            repo.create(document)
        stub.assert_no_pending_responses()


def test_an_item_over_dynamodbs_limit_is_permanent(repository: DynamoDbRepository) -> None:
    doc, _ = repository.create(new_document())
    with pytest.raises(ItemTooLargeError) as raised:
        repository.record_event(
            "acme", doc.id, event_id="e-1", event_type="t", at=T0,
            status=DocumentStatus.EXTRACTED, detail={"text": "x" * 450_000},
        )  # fmt: skip
    assert isinstance(raised.value, PermanentError)
    assert repository.timeline("acme", doc.id) == []


# -- items and indexes --------------------------------------------------------------------


def _attention_entries(admin: DynamoDBClient, table: str) -> int:
    return admin.scan(TableName=table, IndexName=ATTENTION_INDEX, Select="COUNT")["Count"]


def test_a_logged_webhook_takes_the_document_out_of_the_reconcilers_index(
    repository: DynamoDbRepository, admin: DynamoDBClient, table: str
) -> None:
    doc, _ = repository.create(new_document(callback_url="https://x.test/hook"))
    assert _attention_entries(admin, table) == 1, "on its way: watched for stalling"
    repository.record_event(
        "acme", doc.id, event_id="s", event_type="t", at=T0, status=DocumentStatus.STORED,
        detail={}, step={"id": "s"},
    )  # fmt: skip
    assert _attention_entries(admin, table) == 1, "final, its webhook not yet logged"
    later = T0 + timedelta(hours=1)
    assert [d.id for d in repository.unannounced(later)] == [doc.id]
    repository.record_webhook(WebhookDelivery(
        id="s/1", document_id=doc.id, url="https://x.test/hook", attempt=1, status_code=204,
        error=None, delivered=True, at=T0,
    ))  # fmt: skip
    assert _attention_entries(admin, table) == 0
    assert repository.unannounced(later) == []


def test_a_webhook_logged_before_the_final_event_is_found_and_leaves_the_index(
    repository: DynamoDbRepository, admin: DynamoDBClient, table: str
) -> None:
    doc, _ = repository.create(new_document(callback_url="https://x.test/hook"))
    repository.record_webhook(WebhookDelivery(
        id="s/1", document_id=doc.id, url="https://x.test/hook", attempt=1, status_code=204,
        error=None, delivered=True, at=T0,
    ))  # fmt: skip
    repository.record_event(
        "acme", doc.id, event_id="s", event_type="t", at=T0, status=DocumentStatus.STORED,
        detail={}, step={"id": "s"},
    )  # fmt: skip
    assert repository.unannounced(T0 + timedelta(hours=1)) == []
    assert _attention_entries(admin, table) == 0


def test_the_final_record_is_kept_apart_and_compressed(
    repository: DynamoDbRepository, admin: DynamoDBClient, table: str
) -> None:
    doc, _ = repository.create(new_document())
    record = {"summary": "word " * 50_000}  # 250 KB of text
    assert repository.save_result("acme", doc.id, record)
    items = admin.query(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"DOC#{doc.id}"}},
    )["Items"]
    sizes = {item["sk"]["S"]: len(json.dumps(item, default=repr)) for item in items}
    assert set(sizes) == {"DOC", "DOC#RESULT"}
    assert sizes["DOC"] < 2_000, "events rewrite the document item: it stays small"
    assert sizes["DOC#RESULT"] < 10_000
    current = repository.get("acme", doc.id)
    assert current is not None
    assert current.result == record
