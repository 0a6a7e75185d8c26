"""``python -m docflow_validate``: run the validate stage."""

import sys

from docflow_runtime.entrypoint import run_stage
from docflow_validate.loader import PackError
from docflow_validate.settings import ValidateSettings
from docflow_validate.stage import build


def main() -> int:
    try:
        return run_stage(ValidateSettings, build)
    except PackError as exc:
        # A malformed pack is a configuration error: say which file and field, exit like one.
        print(f"docflow validate: invalid rule pack: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
