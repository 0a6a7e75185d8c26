"""``python -m docflow_enrich`` runs the enrich stage until stopped."""

from docflow_enrich.factory import build
from docflow_enrich.settings import EnrichSettings
from docflow_runtime.entrypoint import run_stage


def main() -> int:
    return run_stage(EnrichSettings, build)


if __name__ == "__main__":
    raise SystemExit(main())
