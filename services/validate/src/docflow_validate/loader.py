"""Loading rule packs from YAML: the packaged ones, or a mounted directory that replaces them.

Everything is checked at startup, so a malformed pack stops the service with the file and
the field named instead of failing documents one by one later.
"""

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from docflow_runtime.errors import ConfigurationError
from docflow_validate.pack import PackCatalog, RulePack
from docflow_validate.rules import KINDS

PACKAGED = "packs"
_SUFFIXES = (".yaml", ".yml")


class PackError(ConfigurationError):
    """A rule pack (or the set of them) that cannot be used; says which file and why."""


def load_catalog(directory: Path | None, default: str) -> PackCatalog:
    """The packs of ``directory``, or the packaged ones when it is None."""
    files = _pack_files(directory)
    packs: dict[str, RulePack] = {}
    for file in files:
        pack = load_pack(file)
        if pack.name in packs:
            raise PackError(f"{file}: pack name {pack.name!r} is used by another file too")
        packs[pack.name] = pack
    source = str(directory) if directory else "the packaged rule packs"
    return _catalog(_resolve_all(packs, source), default, source)


def load_pack(file: Traversable) -> RulePack:
    """One pack file, validated."""
    try:
        raw: Any = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(f"{file}: cannot read it as YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PackError(f"{file}: a rule pack is a mapping with name, applies_to and rules")
    try:
        return RulePack.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(error) for error in exc.errors())
        raise PackError(f"{file}: {problems}") from exc


def _pack_files(directory: Path | None) -> list[Traversable]:
    if directory is None:
        root: Traversable = resources.files("docflow_validate") / PACKAGED
    elif directory.is_dir():
        root = directory
    else:
        raise PackError(f"rule pack directory {directory} does not exist or is not a directory")
    files = sorted((f for f in root.iterdir() if f.name.endswith(_SUFFIXES)), key=_name)
    if not files:
        raise PackError(f"no rule packs (*.yaml) in {root}")
    return files


def _name(file: Traversable) -> str:
    return file.name


def _describe(error: ErrorDetails) -> str:
    return f"{_location(error['loc'])}: {error['msg']}"


def _location(loc: tuple[int | str, ...]) -> str:
    """``rules[2].min_confidence`` from pydantic's ``('rules', 2, 'ocr_confidence', ...)``."""
    text = ""
    for index, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif not (index and isinstance(loc[index - 1], int) and part in KINDS):
            # The kind pydantic puts after a rule's index is noise: the YAML has no such level.
            text += f".{part}" if text else part
    return text or "(top level)"


def _resolve_all(packs: dict[str, RulePack], source: str) -> dict[str, RulePack]:
    return {name: _resolve(name, packs, source, ()) for name in packs}


def _resolve(name: str, packs: dict[str, RulePack], source: str, seen: tuple[str, ...]) -> RulePack:
    pack = packs[name]
    if pack.extends is None:
        return pack
    if pack.extends in (*seen, name):
        chain = " -> ".join((*seen, name, pack.extends))
        raise PackError(f"{source}: packs extend each other in a circle: {chain}")
    if pack.extends not in packs:
        raise PackError(f"{source}: pack {name!r} extends {pack.extends!r}, which is not loaded")
    return pack.with_parent(_resolve(pack.extends, packs, source, (*seen, name)))


def _catalog(packs: dict[str, RulePack], default: str, source: str) -> PackCatalog:
    if default not in packs:
        raise PackError(f"{source}: no pack named {default!r}, the default for unknown types")
    claimed: dict[str, str] = {}
    for pack in packs.values():
        for document_type in pack.applies_to:
            if document_type in claimed:
                raise PackError(
                    f"{source}: document type {document_type!r} is claimed by both "
                    f"{claimed[document_type]!r} and {pack.name!r}"
                )
            claimed[document_type] = pack.name
    return PackCatalog(packs=packs, default=default)
