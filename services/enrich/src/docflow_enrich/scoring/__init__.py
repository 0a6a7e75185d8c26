"""Invoice and receipt fields chosen by the learned scorer of :mod:`docflow_text.fields`."""

from docflow_enrich.scoring.fields import scored_updates

__all__ = ["scored_updates"]
