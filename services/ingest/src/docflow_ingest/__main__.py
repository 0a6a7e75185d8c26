"""``python -m docflow_ingest``: serve the ingest API on ``DOCFLOW_INGEST_PORT``."""

import signal
from types import FrameType

import uvicorn

from docflow_ingest.app import create_app
from docflow_ingest.settings import IngestSettings
from docflow_runtime.logging import configure_logging, get_logger


def main() -> int:
    settings = IngestSettings()
    configure_logging("ingest", settings.log_level, json=settings.log_json)
    get_logger(__name__).info(
        "ingest starting", host=settings.ingest_host, port=settings.ingest_port
    )
    _exit_cleanly_after_graceful_shutdown()
    # log_config=None: uvicorn's records go through the service's JSON logging.
    uvicorn.run(
        create_app(settings), host=settings.ingest_host, port=settings.ingest_port, log_config=None
    )
    return 0


def _exit_cleanly_after_graceful_shutdown() -> None:
    """uvicorn drains requests on SIGTERM/SIGINT, then raises the signal again for the handler
    that was there before it. With the default handler the process would die of the signal
    after a clean shutdown; this one lets ``main`` return 0, as the stage workers do."""

    def ignore(_signum: int, _frame: FrameType | None) -> None:
        return

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, ignore)


if __name__ == "__main__":
    raise SystemExit(main())
