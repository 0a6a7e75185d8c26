"""``python -m docflow_extract``: run the extract stage until stopped."""

import sys

from docflow_extract.backends.errors import BackendUnavailableError
from docflow_extract.build import build
from docflow_extract.settings import ExtractSettings
from docflow_runtime.blobstore import BlobStoreError
from docflow_runtime.entrypoint import run_stage


def main() -> int:
    try:
        return run_stage(ExtractSettings, build)
    except (BackendUnavailableError, BlobStoreError) as exc:
        # Configuration that cannot work: say so plainly instead of with a traceback.
        print(f"docflow-extract: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
