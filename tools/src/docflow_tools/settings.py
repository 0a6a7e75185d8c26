"""What ``make run`` and ``make broker`` read besides what every service reads."""

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from docflow_events.topics import all_topics
from docflow_results.settings import ResultsSettings
from docflow_runtime.settings import DEFAULT_STATE_DIR, ServiceSettings
from docflow_tools.services import DEFAULT_HEALTH_PORT_BASE, HEALTH_PORTS, SERVICES

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
    run_lock_file: Path = Field(
        default=DEFAULT_STATE_DIR / "run.lock",
        description="Held while make run runs, so that a second one refuses to start",
    )
    run_health_port_base: int = Field(
        default=DEFAULT_HEALTH_PORT_BASE,
        ge=1,
        le=65535 - (HEALTH_PORTS - 1),
        description="Health port of the first stage (extract); the others follow it in order",
    )
    run_service_modules: dict[str, str] = Field(
        default_factory=dict,
        description="Development only (the chaos suite): a module to run, as python -m, in "
        'place of a service\'s own, as a JSON object: {"enrich": "docflow_tools.chaos..."}',
    )

    @field_validator("run_service_modules")
    @classmethod
    def _known_services(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - {service.name for service in SERVICES}
        if unknown:
            raise ValueError(f"no such service: {', '.join(sorted(unknown))}")
        return value

    def broker_address(self) -> tuple[str, int]:
        """Where the local broker listens: the first of ``DOCFLOW_KAFKA_BOOTSTRAP``."""
        first = urlsplit("//" + self.kafka.bootstrap.split(",", maxsplit=1)[0])
        return first.hostname or "127.0.0.1", first.port or DEFAULT_KAFKA_PORT

    def topics(self) -> list[str]:
        """Every topic a deployment needs, under this deployment's prefix."""
        return [self.topic(name) for name in all_topics()]
