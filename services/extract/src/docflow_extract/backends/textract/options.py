"""What the Textract backend is asked to do, taken from the extract settings once."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docflow_extract.settings import ExtractSettings

Feature = Literal["FORMS", "TABLES"]


class PollPolicy(BaseModel):
    """How an async job is waited for: doubling pauses, bounded in all."""

    model_config = ConfigDict(frozen=True)

    initial_seconds: float = Field(default=1.0, gt=0)
    max_seconds: float = Field(default=10.0, gt=0)
    total_seconds: float = Field(default=300.0, gt=0)


class TextractOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    features: tuple[Feature, ...] = ("FORMS", "TABLES")
    staging_bucket: str | None = None
    staging_prefix: str = "docflow-textract/"
    read_blobs_in_place: bool = True
    poll: PollPolicy = PollPolicy()
    expense_types: frozenset[str] = frozenset()
    max_pages: int = Field(default=2000, ge=1)

    @classmethod
    def from_settings(cls, settings: ExtractSettings) -> "TextractOptions":
        return cls(
            features=tuple(dict.fromkeys(settings.textract_feature_types)),
            staging_bucket=settings.textract_staging_bucket,
            staging_prefix=settings.textract_staging_prefix,
            read_blobs_in_place=settings.textract_read_blobs_in_place,
            poll=PollPolicy(
                initial_seconds=settings.textract_poll_initial_seconds,
                max_seconds=settings.textract_poll_max_seconds,
                total_seconds=settings.textract_max_wait_seconds,
            ),
            expense_types=frozenset(t.lower() for t in settings.textract_expense_types),
            max_pages=settings.extract_max_pages,
        )
