"""``python -m docflow_ingest``: serve the ingest API on ``DOCFLOW_INGEST_PORT``."""

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
    # log_config=None: uvicorn's records go through the service's JSON logging.
    uvicorn.run(
        create_app(settings), host=settings.ingest_host, port=settings.ingest_port, log_config=None
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
