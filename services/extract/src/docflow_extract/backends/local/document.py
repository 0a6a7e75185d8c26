"""What a format reader produces, before key-values are derived from it."""

from dataclasses import dataclass, field

from docflow_events.v1 import Page, Table


@dataclass
class ParsedDocument:
    media_type: str
    pages: list[Page]
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
