"""docflow validate service."""
