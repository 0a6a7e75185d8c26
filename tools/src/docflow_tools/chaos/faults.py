"""Which documents the chaos suite makes the enrichment backend fail, and how.

The faulty enrich service (:mod:`docflow_tools.chaos.faulty_enrich`) and the chaos tool read
the same settings and draw from the same stable hash of the document id, so the tool knows,
without being told, which documents were made to fail for good.
"""

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX: Final = "DOCFLOW_CHAOS_"
#: A transient fault fails this many attempts at most: well within the runtime's retries.
MAX_TRANSIENT_FAILURES: Final = 2
_DRAW_BYTES: Final = 8


class EnrichFaultSettings(BaseSettings):
    """Environment: ``DOCFLOW_CHAOS_*``, set by the chaos tool for the run it starts."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    seed: int = 0
    enrich_transient_share: float = Field(default=0.0, ge=0, le=1)
    enrich_permanent_share: float = Field(default=0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _shares_fit(self) -> Self:
        if self.enrich_transient_share + self.enrich_permanent_share > 1:
            raise ValueError("the transient and permanent shares add up to more than 1")
        return self

    def environment(self) -> dict[str, str]:
        """These settings as the variables that give them to another process."""
        return {f"{ENV_PREFIX}{name.upper()}": str(value) for name, value in self}


class FaultKind(StrEnum):
    NONE = "none"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class EnrichFault:
    kind: FaultKind
    #: Attempts that fail before one succeeds (transient faults only).
    failures: int = 0


def enrich_fault(document_id: str, settings: EnrichFaultSettings) -> EnrichFault:
    """The fault a document's enrichment gets: the same for the same document, seed and shares."""
    draw = stable_fraction(settings.seed, document_id)
    if draw < settings.enrich_permanent_share:
        return EnrichFault(FaultKind.PERMANENT)
    if draw < settings.enrich_permanent_share + settings.enrich_transient_share:
        failures = stable_fraction(settings.seed, document_id, "failures") * MAX_TRANSIENT_FAILURES
        return EnrichFault(FaultKind.TRANSIENT, 1 + int(failures))
    return EnrichFault(FaultKind.NONE)


def stable_fraction(*parts: object) -> float:
    """A number in [0, 1) that depends on ``parts`` only: the same in every process and run
    (Python's own ``hash`` of a string is not)."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:_DRAW_BYTES]) / float(1 << (8 * _DRAW_BYTES))
