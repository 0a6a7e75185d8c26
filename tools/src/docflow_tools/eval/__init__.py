"""Evaluation of the local enrichment backend (``python -m docflow_tools.eval``)."""
