"""The validate service's settings: the runtime's, plus where its rule packs come from."""

from pathlib import Path

from pydantic import Field

from docflow_runtime.settings import RuntimeSettings


class ValidateSettings(RuntimeSettings):
    """Environment: ``DOCFLOW_VALIDATE_*`` besides the runtime's ``DOCFLOW_*``."""

    validate_rules_dir: Path | None = Field(
        default=None,
        description="A directory of *.yaml rule packs used instead of the packaged ones",
    )
    validate_default_pack: str = Field(
        default="generic", min_length=1, description="The pack for types no pack claims"
    )
    validate_guess_chars: int = Field(
        default=4000, ge=100, description="Characters of text the type guess reads"
    )
