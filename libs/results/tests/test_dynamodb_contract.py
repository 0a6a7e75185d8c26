"""The repository contract, run against the DynamoDB store on moto's server over real HTTP."""

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from moto.dynamodb.responses import DynamoHandler
from mypy_boto3_dynamodb import DynamoDBClient

from docflow_results.dynamodb import DynamoDbOptions, DynamoDbRepository, ensure_table, make_client
from docflow_results.repository import Repository
from docflow_testing.results_contract import RepositoryContract


@pytest.fixture
def one_request_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Moto answers TransactWriteItems by deep-copying the tables while its other request
    threads write them, and fails with a 500 when they meet; DynamoDB itself isolates every
    request. Serving one request at a time keeps the concurrency tests about this store."""
    lock = threading.Lock()
    call_action = DynamoHandler.call_action

    def serialised(handler: DynamoHandler) -> Any:
        with lock:
            return call_action(handler)

    monkeypatch.setattr(DynamoHandler, "call_action", serialised)


@pytest.fixture(scope="module")
def admin(aws_endpoint: str) -> Iterator[DynamoDBClient]:
    client = make_client(DynamoDbOptions(endpoint_url=aws_endpoint))
    yield client
    client.close()


class TestDynamoDbRepository(RepositoryContract):
    @pytest.fixture
    def repository(
        self, aws_endpoint: str, admin: DynamoDBClient, one_request_at_a_time: None
    ) -> Iterator[Repository]:
        table = f"docflow-contract-{uuid.uuid4().hex[:12]}"
        ensure_table(admin, table)
        repo = DynamoDbRepository(table, options=DynamoDbOptions(endpoint_url=aws_endpoint))
        yield repo
        repo.close()
        admin.delete_table(TableName=table)

    def open_again(self, repository: Repository) -> Repository:
        assert isinstance(repository, DynamoDbRepository)
        endpoint = repository.client.meta.endpoint_url
        return DynamoDbRepository(repository.table, options=DynamoDbOptions(endpoint_url=endpoint))
