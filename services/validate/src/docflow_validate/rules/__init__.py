"""The rule kinds a pack can use; ``kind`` picks the class that reads a rule's parameters."""

from typing import Annotated, get_args

from pydantic import Field

from docflow_validate.rules.amounts_add_up import AmountsAddUp
from docflow_validate.rules.base import RuleBase, Severity
from docflow_validate.rules.counterparty_present import CounterpartyPresent
from docflow_validate.rules.dates_sane import DatesSane
from docflow_validate.rules.field_confidence import FieldConfidence
from docflow_validate.rules.key_values_present import KeyValuesPresent
from docflow_validate.rules.ocr_confidence import OcrConfidence
from docflow_validate.rules.party_confidence import PartyConfidence
from docflow_validate.rules.required_patterns import RequiredPatterns
from docflow_validate.rules.text_extracted import TextExtracted

Rule = Annotated[
    TextExtracted
    | OcrConfidence
    | RequiredPatterns
    | DatesSane
    | CounterpartyPresent
    | AmountsAddUp
    | KeyValuesPresent
    | FieldConfidence
    | PartyConfidence,
    Field(discriminator="kind"),
]

#: Every ``kind`` a rule may have, read from the classes of ``Rule``.
KINDS = frozenset(str(cls.model_fields["kind"].default) for cls in get_args(get_args(Rule)[0]))

__all__ = [
    "KINDS",
    "AmountsAddUp",
    "CounterpartyPresent",
    "DatesSane",
    "FieldConfidence",
    "KeyValuesPresent",
    "OcrConfidence",
    "PartyConfidence",
    "RequiredPatterns",
    "Rule",
    "RuleBase",
    "Severity",
    "TextExtracted",
]
