"""Extraction backends: how a document's bytes become an ExtractionResult."""
