"""Test support: a real broker for the tests that need one, and helpers to read it back.

The pytest plugin (``docflow_testing.pytest_plugin``) provides the fixtures; the
functions it builds on live in ``docflow_testing.broker``.
"""
