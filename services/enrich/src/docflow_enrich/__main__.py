"""``python -m docflow_enrich`` runs the enrich stage until stopped."""

import sys

from docflow_enrich.backends import BackendNotAvailableError
from docflow_enrich.service import build
from docflow_enrich.settings import EnrichSettings
from docflow_runtime.entrypoint import run_stage


def main() -> int:
    try:
        return run_stage(EnrichSettings, build)
    except BackendNotAvailableError as exc:
        print(f"docflow: invalid configuration: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
