"""Invoice and receipt fields, and an agreement's effective date and parties, chosen by the
learned scorer of :mod:`docflow_text.fields`."""

from docflow_enrich.scoring.fields import scored_effective_date, scored_parties, scored_updates

__all__ = ["scored_effective_date", "scored_parties", "scored_updates"]
