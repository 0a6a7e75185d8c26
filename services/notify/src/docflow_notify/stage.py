"""The notify stage: tells a caller's callback url when its document reached a final state.

``webhook-id`` is the event id, so a receiver drops repeats; every attempt goes to the delivery
log, which also keeps a redelivered event from being sent again once it was delivered or
refused. Failures worth retrying raise TransientError: the runtime retries with backoff and
dead-letters when the attempts run out.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from docflow_events import Envelope, EventData, StageName
from docflow_events.topics import STAGE_INPUTS
from docflow_events.v1 import DocumentFailed, DocumentStored, ReviewDecided
from docflow_notify.webhooks import (
    Attempt,
    UnsafeCallbackUrlError,
    WebhookPayload,
    WebhookSender,
    check_callback_url,
    gave_up,
)
from docflow_results.models import Document, DocumentStatus, StageError, WebhookDelivery
from docflow_results.repository import Repository
from docflow_runtime.errors import TransientError
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage

log = get_logger(__name__)
NAME = StageName.NOTIFY.value


class Notify(Stage):
    name: ClassVar[str] = NAME
    inputs: ClassVar[tuple[str, ...]] = STAGE_INPUTS[StageName.NOTIFY]

    def __init__(
        self,
        repository: Repository,
        sender: WebhookSender,
        secret_for: Callable[[str], str],
        *,
        allow_private_targets: bool = False,
    ) -> None:
        self._repository = repository
        self._sender = sender
        self._secret_for = secret_for
        self._allow_private = allow_private_targets

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        notice = notice_for(event.data)
        if notice is None:
            return []
        document = self._repository.get(event.data.tenant, event.data.document_id)
        if document is not None and event.data.run > document.run:
            # The tracker has not recorded this run's start yet; it follows every topic.
            raise TransientError(f"the results store has not seen run {event.data.run} begin yet")
        if document is None or event.data.run < document.run:
            return []  # gone, or of an earlier run: its caller learns of the later run instead
        if not document.callback_url or _superseded(document, notice):
            return []
        previous = self._previous_attempts(document, event.id)
        if any(d.delivered or gave_up(d.status_code) for d in previous):
            return []
        self._deliver(document, event.id, notice, attempt=len(previous) + 1)
        return []

    def close(self) -> None:
        self._sender.close()
        self._repository.close()

    def _previous_attempts(self, document: Document, event_id: str) -> list[WebhookDelivery]:
        deliveries = self._repository.webhook_deliveries(document.tenant, document.id)
        return [d for d in deliveries if d.id.startswith(f"{event_id}/")]

    def _deliver(
        self, document: Document, event_id: str, notice: WebhookPayload, *, attempt: int
    ) -> None:
        url = document.callback_url or ""
        try:
            check_callback_url(url, allow_private=self._allow_private)
        except UnsafeCallbackUrlError as exc:
            self._log(document, event_id, url, attempt, Attempt(None, f"refused: {exc}"))
            return
        payload = notice.model_copy(update={"filename": document.filename,
                                            "metadata": document.metadata})  # fmt: skip
        secret = self._secret_for(document.tenant)
        sent = self._sender.send(url, webhook_id=event_id, payload=payload, secret=secret)
        self._log(document, event_id, url, attempt, sent.attempt)
        if not sent.attempt.delivered and sent.attempt.retryable:
            raise TransientError(
                f"webhook attempt {attempt} failed: {sent.attempt.error}",
                retry_after=sent.retry_after,
            )
        if not sent.attempt.delivered:
            log.warning("webhook refused by the receiver; giving up", attempt=attempt,
                        status_code=sent.attempt.status_code)  # fmt: skip

    def _log(
        self,
        document: Document,
        event_id: str,
        url: str,
        number: int,
        attempt: Attempt,
    ) -> None:
        self._repository.record_webhook(
            WebhookDelivery(
                id=f"{event_id}/{number}", document_id=document.id, url=url, attempt=number,
                status_code=attempt.status_code, error=attempt.error,
                delivered=attempt.delivered, at=datetime.now(UTC),
            )
        )  # fmt: skip


def notice_for(data: EventData) -> WebhookPayload | None:
    """The webhook an event calls for, before the document's own facts are added; or None."""
    if isinstance(data, DocumentStored):
        return WebhookPayload(type="document.stored", document_id=data.document_id,
                              status=DocumentStatus.STORED, occurred_at=data.stored_at,
                              cost_usd=data.cost_usd)  # fmt: skip
    if isinstance(data, DocumentFailed) and data.stage != NAME:
        # Notify's own failures are not announced by notify: that could only loop.
        error = StageError(stage=data.stage, reason=data.reason, error_class=data.error_class)
        return WebhookPayload(type="document.failed", document_id=data.document_id,
                              status=DocumentStatus.FAILED, occurred_at=data.failed_at,
                              error=error)  # fmt: skip
    if isinstance(data, ReviewDecided) and data.decision == "rejected":
        return WebhookPayload(
            type="document.rejected",
            document_id=data.document_id,
            status=DocumentStatus.REJECTED,
            occurred_at=data.decided_at,
        )
    return None


def _superseded(document: Document, notice: WebhookPayload) -> bool:
    """A document already final in another state (a late failure after it was stored)."""
    return document.status.final and document.status is not notice.status
