"""docflow-runtime: the loop every stage shares."""
