"""Outbound webhooks: what is sent, how it is signed (Standard Webhooks), and what came back."""

import ipaddress
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field
from standardwebhooks import Webhook

from docflow_results.models import DocumentStatus, StageError

#: Besides 5xx, the statuses that ask the sender to try again later.
RETRYABLE_CLIENT_STATUSES = frozenset({408, 429})
USER_AGENT = "docflow-webhooks/1"

NoticeType = Literal["document.stored", "document.failed", "document.rejected"]


class WebhookPayload(BaseModel):
    """The JSON body a caller's callback url receives."""

    model_config = ConfigDict(frozen=True)

    type: NoticeType
    document_id: str
    status: DocumentStatus
    occurred_at: datetime
    filename: str | None = None
    metadata: dict[str, Any] = Field(
        default_factory=dict, description="The caller's own metadata, to match the document"
    )
    error: StageError | None = None
    cost_usd: float | None = None


class UnsafeCallbackUrlError(ValueError):
    """A callback url docflow will not call."""


def check_callback_url(url: str, *, allow_private: bool = False) -> None:
    """Only absolute http(s) urls with a host, and (unless allowed) only public addresses.

    A callback url is chosen by the caller but fetched from inside the cluster: without the
    address check it could reach the cloud metadata service or internal APIs. A host that
    does not resolve now is left to the send, which fails and is retried.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise UnsafeCallbackUrlError("a callback url must be an absolute http(s) url")
    if not allow_private:
        _require_public(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def _require_public(host: str, port: int) -> None:
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return
    for *_, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global:
            raise UnsafeCallbackUrlError(f"the callback host resolves to a non-public address {ip}")


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt came to."""

    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        """Timeouts, connection failures, 5xx, 408 and 429 may pass; other answers will not."""
        if self.status_code is None:
            return True
        return self.status_code >= 500 or self.status_code in RETRYABLE_CLIENT_STATUSES


def gave_up(status_code: int | None) -> bool:
    """Whether a logged answer ended the deliveries of its event (a 3xx or a final 4xx)."""
    answer = Attempt(status_code, None)
    return not answer.delivered and not answer.retryable


@dataclass(frozen=True)
class Sent:
    attempt: Attempt
    retry_after: float | None


class WebhookSender:
    """Signs and posts webhooks; one client (connection pool) shared by every handler thread."""

    def __init__(self, timeout_seconds: float, *, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(
            timeout=timeout_seconds, follow_redirects=False, headers={"user-agent": USER_AGENT}
        )

    def send(self, url: str, *, webhook_id: str, payload: WebhookPayload, secret: str) -> Sent:
        body = payload.model_dump_json()
        headers = signed_headers(secret, webhook_id, body, datetime.now(UTC))
        try:
            response = self._client.post(url, content=body.encode(), headers=headers)
        except httpx.TimeoutException:
            return Sent(Attempt(None, "timed out"), None)
        except httpx.TransportError as exc:
            return Sent(Attempt(None, f"{type(exc).__name__}: connection failed"), None)
        return Sent(_attempt(response), _retry_after(response))

    def close(self) -> None:
        self._client.close()


def signed_headers(secret: str, webhook_id: str, body: str, at: datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(msg_id=webhook_id, timestamp=at, data=body)
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def _attempt(response: httpx.Response) -> Attempt:
    code = response.status_code
    if 200 <= code < 300:
        return Attempt(code, None)
    if 300 <= code < 400:
        return Attempt(code, f"HTTP {code}: redirects are not followed")
    return Attempt(code, f"HTTP {code}")


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (the HTTP-date form is rare for webhooks and ignored)."""
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds <= 3600 else None
