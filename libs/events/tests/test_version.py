"""The library's version is written in three places; they must agree."""

import re
import tomllib
from pathlib import Path

import docflow_events

LIBRARY = Path(__file__).parents[1]


def test_package_version_matches_pyproject() -> None:
    project = tomllib.loads((LIBRARY / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["version"] == docflow_events.__version__


def test_changelog_names_the_current_version_first() -> None:
    changelog = (LIBRARY / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.MULTILINE)
    assert released, "CHANGELOG.md has no released version"
    assert released[0] == docflow_events.__version__


def test_changelog_lists_every_event_type() -> None:
    changelog = (LIBRARY / "CHANGELOG.md").read_text(encoding="utf-8")
    missing = [t for t in docflow_events.EVENT_TYPES if f"`{t}`" not in changelog]
    assert not missing, f"add these types to CHANGELOG.md: {missing}"
