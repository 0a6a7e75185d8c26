"""``python -m docflow_validate``: run the validate stage until stopped."""

from docflow_runtime.entrypoint import run_stage
from docflow_validate.factory import build
from docflow_validate.settings import ValidateSettings


def main() -> int:
    return run_stage(ValidateSettings, build)


if __name__ == "__main__":
    raise SystemExit(main())
