"""What ``make run`` and ``make broker`` read besides what every service reads."""

from urllib.parse import urlsplit

from pydantic import Field

from docflow_events.topics import all_topics
from docflow_runtime.settings import ServiceSettings

DEFAULT_KAFKA_PORT = 9092


class RunSettings(ServiceSettings):
    """Environment: ``DOCFLOW_*``, as for the services."""

    topic_partitions: int = Field(
        default=3, ge=1, description="Partitions of the topics it creates"
    )

    def broker_address(self) -> tuple[str, int]:
        """Where the local broker listens: the first of ``DOCFLOW_KAFKA_BOOTSTRAP``."""
        first = urlsplit("//" + self.kafka.bootstrap.split(",", maxsplit=1)[0])
        return first.hostname or "127.0.0.1", first.port or DEFAULT_KAFKA_PORT

    def topics(self) -> list[str]:
        """Every topic a deployment needs, under this deployment's prefix."""
        return [self.topic(name) for name in all_topics()]
