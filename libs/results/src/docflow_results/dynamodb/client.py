"""The boto3 client the store uses: region, credentials and endpoint from the standard AWS
environment (``AWS_REGION``, ``AWS_PROFILE``, ``AWS_ENDPOINT_URL``, ...), retries by botocore."""

import threading
from typing import Final, Literal

import boto3
from botocore.config import Config
from mypy_boto3_dynamodb import DynamoDBClient
from pydantic import BaseModel, ConfigDict, Field

from docflow_results.dynamodb.errors import translated

#: Enough connections for a stage's handler threads and the tracker's bursts to not queue.
_MAX_POOL_CONNECTIONS: Final = 32
_CONNECT_TIMEOUT_SECONDS: Final = 5.0
_READ_TIMEOUT_SECONDS: Final = 20.0
_SESSION_LOCK: Final = threading.Lock()
_sessions: list[boto3.session.Session] = []


class DynamoDbOptions(BaseModel):
    """How the store talks to DynamoDB (from ``ResultsSettings``)."""

    model_config = ConfigDict(frozen=True)

    retry_mode: Literal["standard", "adaptive"] = "standard"
    max_attempts: int = Field(default=5, ge=1, le=20)
    #: None: the AWS environment decides (AWS_ENDPOINT_URL, else the region's endpoint).
    endpoint_url: str | None = None


def make_client(options: DynamoDbOptions) -> DynamoDBClient:
    config = Config(
        retries={"mode": options.retry_mode, "total_max_attempts": options.max_attempts},
        max_pool_connections=_MAX_POOL_CONNECTIONS,
        connect_timeout=_CONNECT_TIMEOUT_SECONDS,
        read_timeout=_READ_TIMEOUT_SECONDS,
    )
    # Sessions are not thread-safe, but clients are: one session, used under a lock, makes
    # every client (it loads the service model once, not per client).
    with _SESSION_LOCK, translated("client set-up"):
        if not _sessions:
            _sessions.append(boto3.session.Session())
        return _sessions[0].client("dynamodb", endpoint_url=options.endpoint_url, config=config)
