"""``python -m docflow_notify``: run the notify stage until stopped."""

from docflow_notify.factory import build
from docflow_notify.settings import NotifySettings
from docflow_runtime.entrypoint import run_stage


def main() -> int:
    return run_stage(NotifySettings, build)


if __name__ == "__main__":
    raise SystemExit(main())
