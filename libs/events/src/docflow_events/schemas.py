"""The committed JSON Schema of every event type, and the guard on changing them.

``export`` writes ``schemas/<event type>.json`` for every registered model and refuses a change
that is not backward compatible with the committed file. ``check`` writes nothing and fails
when a committed schema is missing, outdated or incompatible. Both fail when a committed schema
has no model any more: a type is deprecated for a release before it is removed.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docflow_events import registry
from docflow_events.compat import incompatibilities

SCHEMA_DIR = Path(__file__).parents[2] / "schemas"
SUFFIX = ".json"

HOW_TO_UPDATE = "run `make schemas` to export the current schemas, and commit them"
HOW_TO_BREAK = (
    "keep the change backward compatible (add optional fields with defaults), or add a new "
    "type version (e.g. a v2 model beside v1, both registered for a release): see "
    "libs/events/README.md"
)


@dataclass
class Review:
    """How the committed schemas differ from the ones the current models produce."""

    #: Files to write: new types and changed schemas, by path.
    writes: dict[Path, str] = field(default_factory=dict)
    #: Changes no export may make: incompatible schemas and types whose model is gone.
    blockers: list[str] = field(default_factory=list)
    #: Committed files that are absent or differ from the export (``check`` fails on these).
    stale: list[str] = field(default_factory=list)


def render(model: type[BaseModel]) -> str:
    """The schema as committed: sorted keys and a trailing newline, so exports are stable."""
    schema = model.model_json_schema(mode="validation")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_path(directory: Path, event_type: str) -> Path:
    return directory / f"{event_type}{SUFFIX}"


def review(directory: Path) -> Review:
    result = Review()
    for event_type, model in sorted(registry.schema_models().items()):
        _review_type(result, schema_path(directory, event_type), render(model))
    for path in _orphans(directory):
        result.blockers.append(
            f"{path.name}: no model has type {path.stem!r} any more; deprecate a type for a "
            "release before removing it, then delete its schema file with the model"
        )
    return result


def _review_type(result: Review, path: Path, text: str) -> None:
    if not path.exists():
        result.writes[path] = text
        result.stale.append(f"{path.name}: missing")
        return
    committed = path.read_text(encoding="utf-8")
    if committed == text:
        return
    result.writes[path] = text
    breaks = [f"{path.name}: {problem}" for problem in _breaks(committed, text)]
    # An incompatible file is reported as such only: "export it" would be the wrong advice.
    result.blockers += breaks
    if not breaks:
        result.stale.append(f"{path.name}: outdated")


def _breaks(committed: str, text: str) -> list[str]:
    try:
        old: Any = json.loads(committed)
    except json.JSONDecodeError as exc:
        return [f"the committed file is not valid JSON ({exc})"]
    if not isinstance(old, dict):
        return ["the committed file is not a JSON Schema object"]
    return [str(problem) for problem in incompatibilities(old, json.loads(text))]


def _orphans(directory: Path) -> list[Path]:
    known = {schema_path(directory, event_type) for event_type in registry.schema_models()}
    return sorted(p for p in directory.glob(f"*{SUFFIX}") if p not in known)


def export(directory: Path) -> int:
    result = review(directory)
    if result.blockers:
        _report("refusing to export: backward-incompatible change", result.blockers, HOW_TO_BREAK)
        return 1
    directory.mkdir(parents=True, exist_ok=True)
    for path, text in result.writes.items():
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    if not result.writes:
        print(f"schemas in {directory} are up to date")
    return 0


def check(directory: Path) -> int:
    result = review(directory)
    if result.blockers:
        _report("backward-incompatible schema change", result.blockers, HOW_TO_BREAK)
    if result.stale:
        _report("committed schemas are not up to date", result.stale, HOW_TO_UPDATE)
    if result.blockers or result.stale:
        return 1
    print(f"schemas in {directory} are up to date and compatible")
    return 0


def _report(title: str, problems: list[str], advice: str) -> None:
    lines = [f"{title}:", *(f"  - {problem}" for problem in problems), f"To fix: {advice}."]
    print("\n".join(lines), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--dir", type=Path, default=SCHEMA_DIR, help=f"schema directory (default: {SCHEMA_DIR})"
    )
    parser = argparse.ArgumentParser(
        prog="docflow-events-schemas",
        description="Export or check the committed JSON Schemas of the docflow event types.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("export", parents=[common], help="write the schemas (compatible only)")
    commands.add_parser(
        "check",
        parents=[common],
        help="fail if a committed schema is missing, outdated or incompatible",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    directory: Path = args.dir
    return export(directory) if args.command == "export" else check(directory)


if __name__ == "__main__":
    sys.exit(main())
