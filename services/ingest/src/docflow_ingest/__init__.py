"""docflow ingest service."""
