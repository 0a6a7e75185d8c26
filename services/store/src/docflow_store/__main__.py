"""``python -m docflow_store tracker|store|notify``: one stage per process, as in a pod."""

import argparse
from collections.abc import Callable, Sequence

from docflow_store.stages import notify, store, tracker

STAGES: dict[str, Callable[[], int]] = {
    tracker.Tracker.name: tracker.main,
    store.Store.name: store.main,
    notify.Notify.name: notify.main,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_store",
        description="Run one stage of the store service; configuration from DOCFLOW_* variables.",
    )
    parser.add_argument("stage", choices=sorted(STAGES), help="the stage this process runs")
    arguments = parser.parse_args(argv)
    return STAGES[arguments.stage]()


if __name__ == "__main__":
    raise SystemExit(main())
