"""docflow store service."""
