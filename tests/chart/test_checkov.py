"""checkov on the rendered manifests of every value set: no failed check, and every skipped
check explained in the chart.

checkov cannot live in the project's environment (it pins older boto3, packaging and pytest),
so it runs isolated through `uv tool run`, at a pinned version. The first run downloads it.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import CHART, VALUE_SETS, render

CHECKOV = "checkov==3.3.30"
CONFIG = CHART / ".checkov.yaml"


def _uv() -> list[str]:
    uv = shutil.which("uv")
    assert uv is not None, "uv runs checkov in an isolated environment; install uv"
    return [uv]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_checkov_finds_nothing_unexplained(tmp_path: Path) -> None:
    for name, values in VALUE_SETS.items():
        with (tmp_path / f"{name}.yaml").open("w") as out:
            yaml.safe_dump_all(render(values), out, sort_keys=False)
    result = subprocess.run(
        [
            *_uv(),
            "tool",
            "run",
            "--from",
            CHECKOV,
            "checkov",
            "--directory",
            str(tmp_path),
            "--config-file",
            str(CONFIG),
            "--skip-download",
            "--compact",
            "--quiet",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=880,
        check=False,
    )
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    failed = [
        f"{check['check_id']} {check['resource']}"
        for report in reports
        for check in report["results"]["failed_checks"]
    ]
    assert failed == []
    summary = reports[0]["summary"]
    assert summary["passed"] > 1000
    assert summary["parsing_errors"] == 0
    # checkov counts a workload's pod template as a resource of its own, so at least as many.
    assert summary["resource_count"] >= sum(len(render(v)) for v in VALUE_SETS.values())
    assert result.returncode == 0


def test_every_skipped_check_gives_its_reason() -> None:
    skips = [line for line in CONFIG.read_text().splitlines() if re.match(r"\s+- CKV", line)]
    assert skips
    for line in skips:
        check, _, reason = line.partition("#")
        assert re.fullmatch(r"\s+- CKV2?_K8S_\d+\s+", check), line
        assert len(reason.strip()) > 30, line
    annotations = [
        line.strip()
        for template in (CHART / "templates").rglob("*.yaml")
        for line in template.read_text().splitlines()
        if "checkov.io/skip" in line
    ]
    assert annotations
    for annotation in annotations:
        assert re.fullmatch(r"checkov\.io/skip\d+: CKV2?_K8S_\d+=.{30,}", annotation), annotation
