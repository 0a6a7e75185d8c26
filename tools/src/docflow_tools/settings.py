"""What ``make run`` and ``make broker`` read besides what every service reads."""

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field

from docflow_events.topics import all_topics
from docflow_results.settings import ResultsSettings
from docflow_runtime.settings import DEFAULT_STATE_DIR, ServiceSettings

DEFAULT_KAFKA_PORT = 9092


class RunSettings(ServiceSettings, ResultsSettings):
    """Environment: ``DOCFLOW_*``, as for the services; the results store is the one the
    services write, which ``make run`` reads to tell when a stage has drained."""

    topic_partitions: int = Field(
        default=3, ge=1, description="Partitions of the topics it creates"
    )
    run_drain_timeout_seconds: float = Field(
        default=30.0, ge=0, description="Each wait of a stop for the next stage to drain"
    )
    halt_file: Path = Field(
        default=DEFAULT_STATE_DIR / "halted.json",
        description="Written when make run gives up on a stage; ingest then refuses uploads",
    )

    def broker_address(self) -> tuple[str, int]:
        """Where the local broker listens: the first of ``DOCFLOW_KAFKA_BOOTSTRAP``."""
        first = urlsplit("//" + self.kafka.bootstrap.split(",", maxsplit=1)[0])
        return first.hostname or "127.0.0.1", first.port or DEFAULT_KAFKA_PORT

    def topics(self) -> list[str]:
        """Every topic a deployment needs, under this deployment's prefix."""
        return [self.topic(name) for name in all_topics()]
