"""The store service's stages; each runs in a process of its own (``python -m docflow_store``)."""
