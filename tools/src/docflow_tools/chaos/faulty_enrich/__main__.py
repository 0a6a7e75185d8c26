"""``python -m docflow_tools.chaos.faulty_enrich``: ``python -m docflow_enrich`` with its
backend wrapped in :class:`FaultyBackend`."""

from unittest import mock

import docflow_enrich.factory
from docflow_enrich.__main__ import main as enrich_main
from docflow_enrich.backends import EnrichmentBackend, backend_from_settings
from docflow_enrich.settings import EnrichSettings
from docflow_tools.chaos.faults import EnrichFaultSettings
from docflow_tools.chaos.faulty_enrich import FaultyBackend


def main() -> int:
    faults = EnrichFaultSettings()

    def faulty(settings: EnrichSettings) -> EnrichmentBackend:
        return FaultyBackend(backend_from_settings(settings), faults)

    # Swapped where enrich's own factory looks it up, so that everything else (settings,
    # stage, runtime, exit statuses) is what `python -m docflow_enrich` runs; a factory that
    # no longer has that name makes this fail at once rather than run without faults.
    with mock.patch.object(docflow_enrich.factory, "backend_from_settings", faulty):
        return enrich_main()


if __name__ == "__main__":
    raise SystemExit(main())
