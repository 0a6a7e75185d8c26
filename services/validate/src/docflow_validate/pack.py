"""A rule pack: named rules for some document types, and the set of packs a service uses."""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docflow_validate.rules import Rule

_NAME = r"^[a-z0-9][a-z0-9_-]*$"


class RulePack(BaseModel):
    """One pack as written in YAML; ``extends`` names a pack whose rules come first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=_NAME)
    description: str = ""
    applies_to: list[str] = Field(default_factory=list, description="Document types, e.g. nda")
    extends: str | None = Field(default=None, pattern=_NAME)
    rules: list[Rule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rule_ids_unique(self) -> "RulePack":
        ids = [rule.id for rule in self.rules]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"rule ids must be unique in a pack; repeated: {', '.join(repeated)}")
        return self

    def with_parent(self, parent: "RulePack") -> "RulePack":
        """This pack with ``parent``'s rules first; a rule with a parent's id replaces it."""
        own = {rule.id: rule for rule in self.rules}
        inherited = [own.pop(rule.id, rule) for rule in parent.rules]
        return self.model_copy(update={"rules": [*inherited, *own.values()], "extends": None})


@dataclass(frozen=True)
class PackCatalog:
    """Every loaded pack, ready to use, and the one for documents no pack claims."""

    packs: dict[str, RulePack]
    default: str

    def for_type(self, document_type: str) -> RulePack:
        for pack in self.packs.values():
            if document_type in pack.applies_to:
                return pack
        return self.packs[self.default]
