"""One field of one document compared with its gold value."""

from pydantic import BaseModel, ConfigDict


class FieldResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    expected: str
    got: str
    right: bool

    @classmethod
    def of(cls, field: str, expected: object, got: object, *, right: bool) -> "FieldResult":
        """Values as text: the report shows them, and ``None`` reads as nothing found."""
        return cls(field=field, expected=str(expected), got="" if got is None else str(got),
                   right=right)  # fmt: skip
