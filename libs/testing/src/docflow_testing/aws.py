"""AWS for tests: moto's server on a loopback port, spoken to over real HTTP by boto3.

The S3 blob store and the DynamoDB results store are tested against it as they would run
against AWS: same clients, same wire format, only ``endpoint_url`` differs.
"""

import contextlib
from collections.abc import Iterator
from typing import Final

from moto.server import ThreadedMotoServer

#: Credentials and region moto accepts; set for the whole test session so that no client ever
#: reaches for real ones (a developer's profile, the instance metadata service).
TEST_ENVIRONMENT: Final = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free loopback port; yields its endpoint url, stops on exit."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
