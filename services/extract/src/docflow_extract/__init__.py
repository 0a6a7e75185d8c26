"""docflow extract service."""
