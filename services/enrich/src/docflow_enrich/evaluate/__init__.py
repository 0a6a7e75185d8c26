"""Evaluation of the local backend on the shared corpus (``python -m docflow_enrich.evaluate``)."""
