"""Build the notify stage from its settings."""

from docflow_notify.settings import NotifySettings
from docflow_notify.stage import Notify
from docflow_notify.webhooks import WebhookSender
from docflow_results.factory import open_repository


def build(settings: NotifySettings) -> Notify:
    sender = WebhookSender(settings.webhook_timeout_seconds)
    return Notify(open_repository(settings), sender, settings.secret_for,
                  allow_private_targets=settings.webhook_allow_private_targets)  # fmt: skip
