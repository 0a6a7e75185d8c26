"""docflow store service: the results store, the status tracker, webhooks."""
