"""docflow enrich service."""
