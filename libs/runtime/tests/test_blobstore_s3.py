"""The S3 blob store against moto's server over real HTTP: the blob store contract, and what
only S3 does (multipart uploads, encryption, checksums, throttling, access errors, urls).

Every test has a bucket of its own. Failures S3 answers with that moto cannot be made to give
(503 SlowDown, 403 AccessDenied) come from a small HTTP server on a loopback port that answers
every request with one S3 error.
"""

import base64
import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from docflow_runtime.blobstore import (
    BlobNotFoundError,
    BlobStore,
    BlobStoreError,
    BlobTooLargeError,
    ForeignBlobUrlError,
    UnsupportedBlobUrlError,
    blob_store_from_settings,
    blob_store_from_url,
)
from docflow_runtime.blobstore.s3 import (
    S3AccessDeniedError,
    S3BlobStore,
    S3BucketNotFoundError,
    S3Location,
    S3UnavailableError,
    UploadOptions,
    s3_client,
)
from docflow_runtime.errors import ConfigurationError, PermanentError, TransientError
from docflow_runtime.settings import BlobS3Settings, ServiceSettings
from docflow_testing.blobstore_contract import KEY, BlobStoreContract

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest
    from mypy_boto3_s3 import S3Client

MiB = 1024 * 1024
PREFIX = "blobs/p1"
# The smallest sizes S3 accepts, so that multipart tests stay small.
SMALL_PARTS: dict[str, Any] = {"multipart_threshold_mib": 5, "multipart_part_size_mib": 5}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def admin(aws_endpoint: str) -> "S3Client":
    """A plain client, to look at buckets from outside the store."""
    return boto3.client("s3", endpoint_url=aws_endpoint)


@pytest.fixture
def bucket(admin: "S3Client") -> Iterator[str]:
    name = f"docflow-test-{uuid.uuid4().hex[:16]}"
    admin.create_bucket(Bucket=name)
    yield name
    # moto keeps objects in memory: give it back.
    for upload in admin.list_multipart_uploads(Bucket=name).get("Uploads", []):
        admin.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
    for key in object_keys(admin, name):
        admin.delete_object(Bucket=name, Key=key)
    admin.delete_bucket(Bucket=name)


def settings_for(endpoint: str, **options: Any) -> BlobS3Settings:
    return BlobS3Settings(endpoint_url=endpoint, path_style=True, **options)


def make_store(bucket: str, settings: BlobS3Settings, prefix: str = PREFIX) -> S3BlobStore:
    """A store whose client the test can watch (its events) before it is used."""
    location = S3Location(bucket, prefix)
    return S3BlobStore(location, s3_client(settings), UploadOptions.from_settings(settings))


@pytest.fixture
def store(aws_endpoint: str, bucket: str) -> S3BlobStore:
    return make_store(bucket, settings_for(aws_endpoint, **SMALL_PARTS))


def object_keys(admin: "S3Client", bucket: str) -> list[str]:
    pages = admin.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def pending_uploads(admin: "S3Client", bucket: str) -> list[str]:
    return [u["Key"] for u in admin.list_multipart_uploads(Bucket=bucket).get("Uploads", [])]


def s3_of(store: BlobStore) -> S3BlobStore:
    assert isinstance(store, S3BlobStore)
    return store


class TestS3BlobStore(BlobStoreContract):
    @pytest.fixture(autouse=True)
    def _admin(self, admin: "S3Client") -> None:
        self.admin = admin

    def url_of(self, store: BlobStore, key: str) -> str:
        return f"s3://{s3_of(store).location.bucket}/{PREFIX}/{key}"

    def stored(self, store: BlobStore) -> list[str]:
        bucket = s3_of(store).location.bucket
        inside = f"{PREFIX}/"
        keys = [
            k.removeprefix(inside) if k.startswith(inside) else f"(outside the prefix) {k}"
            for k in object_keys(self.admin, bucket)
        ]
        uploads = [f"(unfinished upload) {k}" for k in pending_uploads(self.admin, bucket)]
        return sorted(keys + uploads)

    def overwrite(self, store: BlobStore, key: str, data: bytes) -> None:
        bucket = s3_of(store).location.bucket
        self.admin.put_object(Bucket=bucket, Key=f"{PREFIX}/{key}", Body=data)

    def foreign_urls(self, store: BlobStore) -> list[str]:
        bucket = s3_of(store).location.bucket
        own = f"s3://{bucket}/{PREFIX}"
        return [
            "file:///etc/passwd",
            f"s3://other-{bucket}/{PREFIX}/x",
            f"s3://{bucket}/other/x",
            f"s3://{bucket}/{PREFIX}x/y",
            f"s3://{bucket}/x",
            own,
            f"{own}/",
            f"{own}/../x",
            f"{own}/a/../../x",
            f"{own}/a%2F..%2F..%2Fx",
            f"{own}/%2e%2e/x",
            f"{own}//x",
            f"{own}/x?versionId=1",
            f"{own}/x#y",
            f"{own}/.hidden",
            f"s3://user:secret@{bucket}/{PREFIX}/x",
            f"s3://{bucket}:443/{PREFIX}/x",
            f"S3://{bucket}/{PREFIX}/x",
            f"https://{bucket}.s3.amazonaws.com/{PREFIX}/x",
            f"{PREFIX}/x",
        ]


# --- keys and urls -------------------------------------------------------------------------


def test_object_keys_are_the_prefix_and_the_key_without_a_leading_slash(
    aws_endpoint: str, bucket: str, admin: "S3Client"
) -> None:
    prefixed = make_store(bucket, settings_for(aws_endpoint), prefix="deploy/blobs")
    bare = make_store(bucket, settings_for(aws_endpoint), prefix="")
    one = prefixed.put_bytes(KEY, b"one")
    two = bare.put_bytes(KEY, b"two")
    assert object_keys(admin, bucket) == sorted([f"deploy/blobs/{KEY}", KEY])
    assert (one.url, two.url) == (f"s3://{bucket}/deploy/blobs/{KEY}", f"s3://{bucket}/{KEY}")
    assert bare.read(two.url) == b"two"
    assert bare.key_of(two.url) == KEY


def test_a_url_of_another_prefix_in_the_same_bucket_is_foreign(
    aws_endpoint: str, bucket: str
) -> None:
    bare = make_store(bucket, settings_for(aws_endpoint), prefix="")
    prefixed = make_store(bucket, settings_for(aws_endpoint), prefix="p")
    ref = prefixed.put_bytes("t/doc", b"x")
    assert bare.key_of(ref.url) == "p/t/doc"  # a store without a prefix sees the whole bucket
    with pytest.raises(ForeignBlobUrlError):
        prefixed.read(bare.put_bytes("t/doc", b"y").url)


@pytest.mark.parametrize(
    ("url", "bucket", "prefix"),
    [
        ("s3://docflow-blobs", "docflow-blobs", ""),
        ("s3://docflow-blobs/", "docflow-blobs", ""),
        ("s3://docflow-blobs/prod/eu", "docflow-blobs", "prod/eu"),
        ("s3://docflow.blobs/prod/", "docflow.blobs", "prod"),
    ],
)
def test_the_factory_reads_bucket_and_prefix(url: str, bucket: str, prefix: str) -> None:
    store = blob_store_from_url(url, s3=BlobS3Settings(region="eu-west-1"))
    assert isinstance(store, S3BlobStore)
    assert store.location == S3Location(bucket, prefix)


@pytest.mark.parametrize(
    "url",
    [
        "s3://",
        "s3://ab/x",
        "s3://Docflow-Blobs/x",
        "s3://docflow_blobs/x",
        "s3://docflow..blobs/x",
        "s3://docflow-blobs/../x",
        "s3://docflow-blobs/a//b",
        "s3://docflow-blobs/.hidden",
        "s3://docflow-blobs/x?region=eu",
        "s3://docflow-blobs/x#y",
        "s3://docflow-blobs:9000/x",
        "s3://AKIAEXAMPLE:hunter2@docflow-blobs/x",
    ],
)
def test_the_factory_refuses_a_malformed_s3_url_without_echoing_it(url: str) -> None:
    with pytest.raises(UnsupportedBlobUrlError) as raised:
        blob_store_from_url(url)
    assert isinstance(raised.value, ConfigurationError)
    assert "hunter2" not in str(raised.value)
    assert "AKIA" not in str(raised.value)


# --- multipart uploads ---------------------------------------------------------------------


def calls_of(store: S3BlobStore, *operations: str) -> list[str]:
    """Names of the S3 operations the store's client calls from now on, in order."""
    seen: list[str] = []
    for operation in operations:

        def record(name: str = operation, **_: object) -> None:
            seen.append(name)

        store._client.meta.events.register(f"before-call.s3.{operation}", record)
    return seen


MULTIPART = ("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")


def test_content_above_the_threshold_goes_up_in_parts(
    store: S3BlobStore, admin: "S3Client"
) -> None:
    data = os.urandom(12 * MiB + 5)
    calls = calls_of(store, *MULTIPART, "AbortMultipartUpload")
    ref = store.put(KEY, io.BytesIO(data))
    assert calls == ["CreateMultipartUpload", *["UploadPart"] * 3, "CompleteMultipartUpload"]
    assert (ref.size, ref.sha256) == (len(data), sha256(data))
    head = admin.head_object(Bucket=store.location.bucket, Key=f"{PREFIX}/{KEY}")
    assert head["ETag"].endswith('-3"'), "S3 stored three parts"
    first = admin.head_object(Bucket=store.location.bucket, Key=f"{PREFIX}/{KEY}", PartNumber=1)
    assert first["ContentLength"] == 5 * MiB
    assert store.read_verified(ref, max_bytes=len(data)) == data
    assert pending_uploads(admin, store.location.bucket) == []


def test_content_up_to_the_threshold_is_one_put(store: S3BlobStore) -> None:
    calls = calls_of(store, *MULTIPART)
    ref = store.put(KEY, [b"x" * MiB] * 5)
    assert calls == ["PutObject"]
    assert ref.size == 5 * MiB


def test_the_part_size_is_a_setting(aws_endpoint: str, bucket: str) -> None:
    store = make_store(
        bucket, settings_for(aws_endpoint, multipart_threshold_mib=5, multipart_part_size_mib=6)
    )
    sizes: list[int] = []

    def record(params: dict[str, Any], **_: object) -> None:
        sizes.append(len(params["Body"]))

    store._client.meta.events.register("before-parameter-build.s3.UploadPart", record)
    store.put(KEY, io.BytesIO(bytes(13 * MiB)))
    assert sizes == [6 * MiB, 6 * MiB, MiB]


def test_too_large_in_a_multipart_upload_aborts_it_and_leaves_nothing(
    store: S3BlobStore, admin: "S3Client"
) -> None:
    calls = calls_of(store, *MULTIPART, "AbortMultipartUpload")
    with pytest.raises(BlobTooLargeError):
        store.put(KEY, (bytes([i]) * MiB for i in range(30)), max_size=12 * MiB)
    assert calls[0] == "CreateMultipartUpload"
    assert calls[-1] == "AbortMultipartUpload"
    assert "CompleteMultipartUpload" not in calls
    assert object_keys(admin, store.location.bucket) == []
    assert pending_uploads(admin, store.location.bucket) == []


def test_a_source_failing_mid_upload_aborts_it(store: S3BlobStore, admin: "S3Client") -> None:
    def broken() -> Iterator[bytes]:
        yield from [bytes(MiB)] * 11
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store.put(KEY, broken())
    assert object_keys(admin, store.location.bucket) == []
    assert pending_uploads(admin, store.location.bucket) == []


def test_s3_failing_a_part_aborts_the_upload(store: S3BlobStore, admin: "S3Client") -> None:
    parts = 0

    def second_part_fails(**_: object) -> None:
        nonlocal parts
        parts += 1
        if parts == 2:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    store._client.meta.events.register("before-call.s3.UploadPart", second_part_fails)
    with pytest.raises(S3UnavailableError) as raised:
        store.put(KEY, io.BytesIO(bytes(12 * MiB)))
    assert isinstance(raised.value, TransientError)
    assert parts == 2
    assert object_keys(admin, store.location.bucket) == []
    assert pending_uploads(admin, store.location.bucket) == []


def test_keep_existing_keeps_a_multipart_blob(store: S3BlobStore) -> None:
    first = store.put(KEY, io.BytesIO(os.urandom(11 * MiB)))
    calls = calls_of(store, *MULTIPART)
    again = store.put(KEY, io.BytesIO(os.urandom(11 * MiB)), keep_existing=True)
    assert again == first
    assert calls == []  # the blob was there: nothing was uploaded


def test_keep_existing_loses_a_race_to_the_first_writer(store: S3BlobStore) -> None:
    # Another writer stores the key between the store's existence check and its upload: the
    # conditional write (If-None-Match) is refused and the first content stays.
    def other_writer(**_: object) -> None:
        store._client.meta.events.unregister("before-call.s3.PutObject", other_writer)
        store.put_bytes(KEY, b"the first writer")

    store._client.meta.events.register("before-call.s3.PutObject", other_writer)
    ref = store.put(KEY, [b"the second writer"], keep_existing=True)
    assert store.read(ref.url) == b"the first writer"
    assert ref.sha256 == sha256(b"the first writer")


# --- encryption and checksums --------------------------------------------------------------


def sent_headers(store: S3BlobStore) -> list[tuple[str, dict[str, str]]]:
    """(operation, headers) of every request the store's client sends from now on."""
    sent: list[tuple[str, dict[str, str]]] = []

    def record(request: "AWSPreparedRequest", event_name: str, **_: object) -> None:
        headers = {
            k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()
        }
        sent.append((event_name.rsplit(".", 1)[-1], headers))

    store._client.meta.events.register("before-send.s3", record)
    return sent


def test_sse_s3_is_asked_for_on_every_write(
    aws_endpoint: str, bucket: str, admin: "S3Client"
) -> None:
    store = make_store(bucket, settings_for(aws_endpoint, sse="AES256", **SMALL_PARTS))
    sent = sent_headers(store)
    store.put_bytes("t/small", b"confidential")
    store.put("t/large", io.BytesIO(bytes(11 * MiB)))
    writes = {op: h for op, h in sent if op in {"PutObject", "CreateMultipartUpload"}}
    assert set(writes) == {"PutObject", "CreateMultipartUpload"}
    for headers in writes.values():
        assert headers["x-amz-server-side-encryption"] == "AES256"
    for key in ("t/small", "t/large"):
        head = admin.head_object(Bucket=bucket, Key=f"{PREFIX}/{key}")
        assert head["ServerSideEncryption"] == "AES256"


def test_sse_kms_sends_the_key_id(aws_endpoint: str, bucket: str) -> None:
    key_id = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    store = make_store(bucket, settings_for(aws_endpoint, sse="aws:kms", kms_key_id=key_id))
    sent = sent_headers(store)
    store.put_bytes("t/doc", b"confidential")
    (headers,) = [h for op, h in sent if op == "PutObject"]
    assert headers["x-amz-server-side-encryption"] == "aws:kms"
    assert headers["x-amz-server-side-encryption-aws-kms-key-id"] == key_id


def test_no_encryption_header_unless_asked(store: S3BlobStore) -> None:
    sent = sent_headers(store)
    store.put_bytes("t/doc", b"x")
    assert all("x-amz-server-side-encryption" not in h for _, h in sent)


def test_writes_carry_docflows_sha256_for_s3_to_check(store: S3BlobStore) -> None:
    sent = sent_headers(store)
    data = bytes(11 * MiB)
    store.put_bytes("t/small", b"checked")
    store.put("t/large", io.BytesIO(data))
    by_op: dict[str, list[dict[str, str]]] = {}
    for op, headers in sent:
        by_op.setdefault(op, []).append(headers)

    def b64(content: bytes) -> str:
        return base64.b64encode(hashlib.sha256(content).digest()).decode()

    assert by_op["PutObject"][0]["x-amz-checksum-sha256"] == b64(b"checked")
    assert by_op["CreateMultipartUpload"][0]["x-amz-checksum-algorithm"] == "SHA256"
    parts = [data[: 5 * MiB], data[5 * MiB : 10 * MiB], data[10 * MiB :]]
    assert [h["x-amz-checksum-sha256"] for h in by_op["UploadPart"]] == [b64(p) for p in parts]


def test_checksums_can_be_turned_off_for_stores_that_refuse_them(
    aws_endpoint: str, bucket: str
) -> None:
    store = make_store(bucket, settings_for(aws_endpoint, checksums=False, **SMALL_PARTS))
    sent = sent_headers(store)
    ref = store.put("t/large", io.BytesIO(bytes(11 * MiB)))
    store.put_bytes("t/small", b"x")
    assert store.read_verified(ref, max_bytes=ref.size) == bytes(11 * MiB)
    assert sent, "requests were seen"
    assert all(not any(k.startswith("x-amz-checksum") for k in h) for _, h in sent)


def test_a_blob_damaged_in_s3_fails_docflows_check_whatever_s3_says(
    store: S3BlobStore, admin: "S3Client"
) -> None:
    ref = store.put_bytes(KEY, b"original content")
    # Replaced with a valid S3 checksum of its own: only docflow's sha256 can tell.
    admin.put_object(
        Bucket=store.location.bucket,
        Key=f"{PREFIX}/{KEY}",
        Body=b"replaced content",
        ChecksumAlgorithm="SHA256",
    )
    with pytest.raises(BlobStoreError, match="does not match its reference"):
        store.read_verified(ref, max_bytes=1024)


# --- S3's errors ---------------------------------------------------------------------------


class FakeS3:
    """Answers every request with one S3 error, counting the requests."""

    def __init__(self, status: int, code: str) -> None:
        self.requests = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                fake.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = (
                    f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
                    f"<Message>{code}</Message><RequestId>r1</RequestId></Error>"
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer()

            def do_PUT(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def do_DELETE(self) -> None:
                self._answer()

            def do_HEAD(self) -> None:
                self._answer()

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeS3":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def fake_s3() -> Iterator[Callable[[int, str], FakeS3]]:
    servers: list[FakeS3] = []

    def start(status: int, code: str) -> FakeS3:
        server = FakeS3(status, code).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


def fast_retries(endpoint: str, attempts: int = 3) -> BlobS3Settings:
    return settings_for(endpoint, max_attempts=attempts, connect_timeout_seconds=2)


@pytest.mark.usefixtures("aws_endpoint")  # test credentials
def test_throttling_is_retried_then_raised_as_transient(
    fake_s3: Callable[[int, str], FakeS3],
) -> None:
    server = fake_s3(503, "SlowDown")
    store = make_store("docflow-blobs", fast_retries(server.url, attempts=3))
    url = f"s3://docflow-blobs/{PREFIX}/t/doc"
    with pytest.raises(S3UnavailableError) as raised:
        store.read(url)
    assert server.requests == 3, "botocore retried the throttled request"
    assert isinstance(raised.value, TransientError)
    assert not isinstance(raised.value, PermanentError)
    assert str(raised.value) == "S3 GetObject of blob t/doc failed: SlowDown, retries ran out"
    with pytest.raises(S3UnavailableError):
        store.put_bytes("t/doc", b"x")
    assert server.requests == 6


@pytest.mark.usefixtures("aws_endpoint")
def test_a_server_error_is_transient(fake_s3: Callable[[int, str], FakeS3]) -> None:
    server = fake_s3(500, "InternalError")
    store = make_store("docflow-blobs", fast_retries(server.url, attempts=2))
    url = f"s3://docflow-blobs/{PREFIX}/t/doc"
    with pytest.raises(S3UnavailableError, match="GetObject of blob t/doc failed: InternalError"):
        store.read(url)
    assert server.requests == 2
    # A HEAD answer has no body: the status is all there is to go by.
    with pytest.raises(S3UnavailableError, match="HeadObject of blob t/doc failed: 500"):
        store.exists(url)


@pytest.mark.usefixtures("aws_endpoint")
def test_an_unreachable_endpoint_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there now: every connection is refused.
    store = make_store("docflow-blobs", fast_retries(f"http://127.0.0.1:{port}", attempts=2))
    with pytest.raises(S3UnavailableError) as raised:
        store.put_bytes("t/doc", b"x")
    assert isinstance(raised.value, TransientError)
    assert str(port) not in str(raised.value)


@pytest.mark.usefixtures("aws_endpoint")
def test_access_denied_names_bucket_key_and_action_never_credentials(
    fake_s3: Callable[[int, str], FakeS3],
) -> None:
    server = fake_s3(403, "AccessDenied")
    store = make_store("docflow-blobs", fast_retries(server.url))
    url = f"s3://docflow-blobs/{PREFIX}/t/doc"
    with pytest.raises(S3AccessDeniedError) as raised:
        store.read(url)
    message = str(raised.value)
    assert message.startswith(f"S3 denied GetObject on s3://docflow-blobs/{PREFIX}/t/doc")
    assert os.environ["AWS_SECRET_ACCESS_KEY"] not in message  # "testing"
    assert server.url not in message
    assert server.requests == 1, "a refusal is not retried by botocore"
    with pytest.raises(S3AccessDeniedError, match="PutObject"):
        store.put_bytes("t/doc", b"x")
    with pytest.raises(S3AccessDeniedError, match="HeadObject"):
        store.exists(url)  # a HEAD's 403 has no body: still access denied, not "missing"


def test_a_missing_bucket_is_named(aws_endpoint: str) -> None:
    store = make_store("docflow-no-such-bucket", settings_for(aws_endpoint, max_attempts=1))
    with pytest.raises(S3BucketNotFoundError) as raised:
        store.put_bytes("t/doc", b"x")
    assert (
        str(raised.value) == "S3 bucket 'docflow-no-such-bucket' of DOCFLOW_BLOB_URL does not exist"
    )
    with pytest.raises(S3BucketNotFoundError):
        store.read(f"s3://docflow-no-such-bucket/{PREFIX}/t/doc")
    with pytest.raises(S3BucketNotFoundError):
        store.put("t/doc", io.BytesIO(bytes(6 * MiB)))


def test_a_missing_object_is_not_found(store: S3BlobStore) -> None:
    url = f"s3://{store.location.bucket}/{PREFIX}/t/none"
    with pytest.raises(BlobNotFoundError) as raised:
        store.read(url)
    assert isinstance(raised.value, PermanentError)
    assert (raised.value.key, raised.value.url) == ("t/none", url)


# --- settings and the factory --------------------------------------------------------------


def test_aws_endpoint_url_s3_is_honoured(
    aws_endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", aws_endpoint)
    store = blob_store_from_url(f"s3://{bucket}/{PREFIX}", s3=BlobS3Settings(path_style=True))
    ref = store.put_bytes("t/doc", b"through the environment's endpoint")
    assert store.read(ref.url) == b"through the environment's endpoint"


def test_settings_reach_the_store_from_the_environment(
    aws_endpoint: str, bucket: str, admin: "S3Client", monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCFLOW_BLOB_URL", f"s3://{bucket}/{PREFIX}")
    monkeypatch.setenv("DOCFLOW_BLOB_S3_ENDPOINT_URL", aws_endpoint)
    monkeypatch.setenv("DOCFLOW_BLOB_S3_PATH_STYLE", "true")
    monkeypatch.setenv("DOCFLOW_BLOB_S3_SSE", "AES256")
    monkeypatch.setenv("DOCFLOW_BLOB_S3_MULTIPART_THRESHOLD_MIB", "5")
    monkeypatch.setenv("DOCFLOW_BLOB_S3_MULTIPART_PART_SIZE_MIB", "5")
    settings = ServiceSettings()
    assert settings.blob_s3.multipart_part_size_mib == 5
    store = blob_store_from_settings(settings)
    assert isinstance(store, S3BlobStore)
    store.put(KEY, io.BytesIO(bytes(11 * MiB)))
    head = admin.head_object(Bucket=bucket, Key=f"{PREFIX}/{KEY}")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ETag"].endswith('-3"')


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DOCFLOW_BLOB_S3_MULTIPART_PART_SIZE_MIB", "4"),
        ("DOCFLOW_BLOB_S3_SSE", "rot13"),
        ("DOCFLOW_BLOB_S3_RETRY_MODE", "never"),
        ("DOCFLOW_BLOB_S3_KMS_KEY_ID", "alias/docflow"),  # without SSE=aws:kms
        ("DOCFLOW_BLOB_S3_ENDPOINT_URL", "minio:9000"),
    ],
)
def test_invalid_s3_settings_are_refused(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=f"(?i){variable.removeprefix('DOCFLOW_BLOB_S3_')}"):
        ServiceSettings()


# --- memory --------------------------------------------------------------------------------

_PUT_IN_A_CHILD = textwrap.dedent(
    """
    import json, sys, tracemalloc
    from docflow_runtime.blobstore.s3 import S3BlobStore, S3Location, UploadOptions, s3_client
    from docflow_runtime.settings import BlobS3Settings

    endpoint, bucket, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = BlobS3Settings(
        endpoint_url=endpoint, path_style=True,
        multipart_threshold_mib=5, multipart_part_size_mib=5,
    )
    store = S3BlobStore(
        S3Location(bucket, "m"), s3_client(settings), UploadOptions.from_settings(settings)
    )
    chunks = (bytes([i % 256]) * 1048576 for i in range(mib))
    tracemalloc.start()
    ref = store.put("t/big", chunks)
    peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"peak": peak, "size": ref.size}))
    """
)


def test_a_large_put_streams_in_bounded_memory(aws_endpoint: str, bucket: str) -> None:
    # In a child process: moto runs in this one, and its memory would be counted too.
    done = subprocess.run(
        [sys.executable, "-c", _PUT_IN_A_CHILD, aws_endpoint, bucket, "40"],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
        env=os.environ.copy(),
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["size"] == 40 * MiB
    assert measured["peak"] < 20 * MiB, f"peak {measured['peak'] / MiB:.1f} MiB for 40 MiB"
