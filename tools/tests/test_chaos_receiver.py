"""The chaos run's webhook receiver records every delivery, repeats included, and tells a
notice signed with the run's secret from one that is not."""

from datetime import UTC, datetime

import httpx

from docflow_notify.webhook_secret import generate_webhook_secret
from docflow_notify.webhooks import WebhookPayload, WebhookSender
from docflow_results.models import DocumentStatus
from docflow_tools.chaos.receiver import Receiver

SECRET = generate_webhook_secret()


def _notice(name: str) -> WebhookPayload:
    return WebhookPayload(type="document.stored", document_id="doc-1", status=DocumentStatus.STORED,
                          occurred_at=datetime.now(UTC), metadata={"name": name})  # fmt: skip


def test_deliveries_are_recorded_with_their_id_and_whether_they_were_signed() -> None:
    sender = WebhookSender(5.0)
    with Receiver.serving("127.0.0.1", SECRET) as receiver:
        for _ in range(2):
            sent = sender.send(
                receiver.url, webhook_id="evt-1", payload=_notice("a"), secret=SECRET
            )
            assert sent.attempt.delivered
        sender.send(receiver.url, webhook_id="evt-2", payload=_notice("b"),
                    secret=generate_webhook_secret())  # fmt: skip
        httpx.post(receiver.url, content=_notice("c").model_dump_json())
        deliveries = receiver.deliveries()
    sender.close()
    assert [(d.webhook_id, d.document_id, d.name, d.signed) for d in deliveries] == [
        ("evt-1", "doc-1", "a", True),
        ("evt-1", "doc-1", "a", True),
        ("evt-2", "doc-1", "b", False),
        ("", "doc-1", "c", False),
    ]
