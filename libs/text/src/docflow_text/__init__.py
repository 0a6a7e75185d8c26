"""Reading documents' text: what validate checks and enrich extracts, read one way."""
