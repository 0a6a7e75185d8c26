"""``python -m docflow_extract``: run the extract stage until stopped."""

from docflow_extract.factory import build
from docflow_extract.settings import ExtractSettings
from docflow_runtime.entrypoint import run_stage


def main() -> int:
    return run_stage(ExtractSettings, build)


if __name__ == "__main__":
    raise SystemExit(main())
