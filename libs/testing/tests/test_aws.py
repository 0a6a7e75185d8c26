"""The moto server the S3 and DynamoDB tests talk to answers real boto3 clients over HTTP."""

import os
import uuid

import boto3

from docflow_testing.aws import TEST_ENVIRONMENT


def test_a_bucket_made_through_the_endpoint_holds_what_was_put(aws_endpoint: str) -> None:
    assert aws_endpoint.startswith("http://127.0.0.1:")
    s3 = boto3.client("s3", endpoint_url=aws_endpoint)
    bucket = f"test-{uuid.uuid4().hex}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="tenant/doc", Body=b"content")
    assert s3.get_object(Bucket=bucket, Key="tenant/doc")["Body"].read() == b"content"


def test_the_session_uses_test_credentials_only(aws_endpoint: str) -> None:
    for name, value in TEST_ENVIRONMENT.items():
        assert os.environ[name] == value
