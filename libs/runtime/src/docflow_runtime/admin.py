"""Broker administration the pipeline needs: wait until a broker answers, create its topics.

Both work the same on any Kafka-compatible broker (the local one included) and pass
``client_config`` through, so SASL/TLS properties reach the admin client unchanged.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from typing import Final

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

log = logging.getLogger(__name__)

#: Kafka's own rule for topic names; checked here because some brokers accept anything.
_TOPIC_NAME: Final = re.compile(r"[a-zA-Z0-9._-]{1,249}")
#: -1 lets the broker apply its default replication factor, which suits one-node dev
#: brokers and production clusters alike.
_BROKER_DEFAULT_REPLICATION: Final = -1
#: One metadata request never waits longer than this, so a wait notices its deadline.
_PROBE_INTERVAL: Final = 1.0
#: The broker being down is the expected state while waiting: librdkafka would otherwise
#: print every refused connection, and the caller reports the outcome itself.
_QUIET_WHILE_WAITING: Final[Mapping[str, str]] = {
    "log_level": "2",
    "reconnect.backoff.max.ms": "500",
}


class BrokerUnavailableError(ConnectionError):
    """No broker answered at ``bootstrap`` within ``timeout`` seconds."""

    def __init__(self, bootstrap: str, timeout: float, last_error: str) -> None:
        super().__init__(
            f"no Kafka broker answered at {bootstrap} within {timeout:g}s"
            f" (last error: {last_error})"
        )
        self.bootstrap = bootstrap
        self.timeout = timeout
        self.last_error = last_error


class TopicCreationError(RuntimeError):
    """The broker refused to create ``topic``; ``error`` is the broker's error name."""

    def __init__(self, topic: str, error: str, reason: str) -> None:
        super().__init__(f"could not create topic {topic!r}: {error}: {reason}")
        self.topic = topic
        self.error = error
        self.reason = reason


def admin_client(bootstrap: str, client_config: Mapping[str, str] | None = None) -> AdminClient:
    """An admin client for ``bootstrap``; ``client_config`` adds or overrides properties."""
    return AdminClient({**(client_config or {}), "bootstrap.servers": bootstrap})


def wait_for_broker(
    bootstrap: str,
    timeout: float = 30.0,
    *,
    client_config: Mapping[str, str] | None = None,
) -> None:
    """Return once a broker at ``bootstrap`` answers a metadata request.

    Raises :class:`BrokerUnavailableError` after ``timeout`` seconds without an answer.
    """
    client = AdminClient(
        {**_QUIET_WHILE_WAITING, **(client_config or {}), "bootstrap.servers": bootstrap}
    )
    deadline = time.monotonic() + timeout
    last_error = "no attempt made"
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            client.list_topics(timeout=min(remaining, _PROBE_INTERVAL))
        except KafkaException as exc:
            last_error = _describe(exc)
        else:
            return
    raise BrokerUnavailableError(bootstrap, timeout, last_error)


def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int,
    *,
    client_config: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> None:
    """Create those of ``topics`` that do not exist yet, each with ``partitions`` partitions.

    Topics that already exist are left as they are, whatever their partition count.
    Raises :class:`TopicCreationError` for the first topic the broker refused.
    """
    names = _validated(topics, partitions)
    if not names:
        return
    new_topics = [NewTopic(n, partitions, _BROKER_DEFAULT_REPLICATION) for n in names]
    # The client must outlive the futures: destroying it fails every pending request.
    client = admin_client(bootstrap, client_config)
    futures = client.create_topics(new_topics, operation_timeout=timeout, request_timeout=timeout)
    for name, future in futures.items():
        _check_created(name, future, timeout)


def delete_topics(
    bootstrap: str,
    topics: Iterable[str],
    *,
    client_config: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> None:
    """Delete ``topics`` where they exist; a topic that is already gone is not an error."""
    names = list(dict.fromkeys(topics))
    if not names:
        return
    client = admin_client(bootstrap, client_config)
    futures = client.delete_topics(names, operation_timeout=timeout, request_timeout=timeout)
    for name, future in futures.items():
        error = _outcome(future, timeout)
        if error is not None and error.code() != KafkaError.UNKNOWN_TOPIC_OR_PART:
            log.warning("could not delete topic %s: %s", name, error.str())


def _validated(topics: Iterable[str], partitions: int) -> list[str]:
    if partitions < 1:
        raise ValueError(f"a topic needs at least one partition, not {partitions}")
    names = list(dict.fromkeys(topics))
    for name in names:
        if not _TOPIC_NAME.fullmatch(name) or name in {".", ".."}:
            raise ValueError(f"{name!r} is not a legal Kafka topic name")
    return names


def _check_created(name: str, future: Future[None], timeout: float) -> None:
    error = _outcome(future, timeout)
    if error is None:
        log.info("created topic %s", name)
    elif error.code() == KafkaError.TOPIC_ALREADY_EXISTS:
        log.debug("topic %s already exists", name)
    else:
        raise TopicCreationError(name, error.name(), error.str())


def _outcome(future: Future[None], timeout: float) -> KafkaError | None:
    """The broker's error for one admin operation, or ``None`` when it succeeded."""
    try:
        # The request itself is bounded by ``timeout``; the margin covers the client's own
        # bookkeeping so that the broker's answer, not ours, decides the outcome.
        future.result(timeout=timeout + _PROBE_INTERVAL)
    except KafkaException as exc:
        error: KafkaError = exc.args[0]
        return error
    except TimeoutError:
        return KafkaError(KafkaError._TIMED_OUT, f"no answer within {timeout:g}s")
    return None


def _describe(exc: KafkaException) -> str:
    error = exc.args[0]
    return error.str() if isinstance(error, KafkaError) else str(exc)
