"""``python -m docflow_store``: run the store stage until stopped."""

from docflow_runtime.entrypoint import run_stage
from docflow_store.factory import build
from docflow_store.settings import StoreSettings


def main() -> int:
    return run_stage(StoreSettings, build)


if __name__ == "__main__":
    raise SystemExit(main())
