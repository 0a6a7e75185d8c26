"""The HTTP API: routers and their dependencies."""
