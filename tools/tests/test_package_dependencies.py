"""Each package imports only the docflow packages it declares, so its image holds what it runs
and nothing that is development-only (docflow-testing, docflow-tools) reaches a service."""

import re
import tomllib
from pathlib import Path

import pytest

from docflow_tools.corpus import REPOSITORY

#: libs/*, services/* and tools.
PACKAGES = [
    *sorted(path.parent for path in REPOSITORY.glob("*/*/pyproject.toml")),
    REPOSITORY / "tools",
]
DEVELOPMENT_ONLY = {"docflow_testing", "docflow_tools"}
_IMPORT = re.compile(r"^\s*(?:from|import)\s+(docflow_\w+)", re.MULTILINE)


def _declared(package: Path) -> tuple[str, set[str]]:
    project = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=\[ ;]", dep, maxsplit=1)[0] for dep in project["dependencies"]}
    own = project["name"].replace("-", "_")
    return own, {name.replace("-", "_") for name in names if name.startswith("docflow-")}


def _imported(package: Path) -> set[str]:
    sources = (package / "src").rglob("*.py")
    return {name for source in sources for name in _IMPORT.findall(source.read_text())}


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_a_package_imports_only_what_it_declares(package: Path) -> None:
    own, declared = _declared(package)
    assert _imported(package) - {own} <= declared


@pytest.mark.parametrize(
    "package",
    [p for p in PACKAGES if p.parent.name == "services"],
    ids=[p.name for p in PACKAGES if p.parent.name == "services"],
)
def test_no_service_depends_on_development_code(package: Path) -> None:
    assert not _declared(package)[1] & DEVELOPMENT_ONLY
