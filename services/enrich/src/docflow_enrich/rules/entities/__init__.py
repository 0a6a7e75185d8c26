"""Entities of a document: parties, dates, governing law, term, amounts and invoice fields."""

from docflow_enrich.rules.entities.extract import extract_entities

__all__ = ["extract_entities"]
