"""The repository a stage of this service uses, as its settings name it."""

from docflow_store.factory import repository_from_url
from docflow_store.repository import Repository
from docflow_store.settings import StoreSettings


def open_repository(settings: StoreSettings) -> Repository:
    return repository_from_url(
        settings.store_url, busy_timeout_seconds=settings.store_busy_timeout_seconds
    )
