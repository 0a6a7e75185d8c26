"""Fixtures shared by every test in the repository (the real-broker harness)."""

pytest_plugins = ["docflow_testing.pytest_plugin"]
