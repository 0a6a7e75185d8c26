"""The local extraction backend: parsers run in limited child processes on this machine."""
