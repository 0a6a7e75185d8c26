"""``python -m docflow_tracker``: run the tracker until stopped."""

from docflow_runtime.entrypoint import run_stage
from docflow_tracker.factory import build
from docflow_tracker.settings import TrackerSettings


def main() -> int:
    return run_stage(TrackerSettings, build)


if __name__ == "__main__":
    raise SystemExit(main())
