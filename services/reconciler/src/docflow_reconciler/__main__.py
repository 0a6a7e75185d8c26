"""``python -m docflow_reconciler``: re-drive stalled documents, one pass every interval."""

from docflow_reconciler.factory import build
from docflow_reconciler.settings import ReconcilerSettings
from docflow_runtime.entrypoint import run_periodic


def main() -> int:
    return run_periodic(ReconcilerSettings, build)


if __name__ == "__main__":
    raise SystemExit(main())
