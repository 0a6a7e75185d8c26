"""``make run``: the whole pipeline on one machine — broker, topics and every service.

Each service runs as its own process, as in a cluster, with the embedded defaults (SQLite,
a local blob directory). Settings come from the environment like everywhere else; only what
is unset gets a development default, and the defaults are printed. Ctrl-C stops the services
gracefully (SIGTERM, as Kubernetes would), then the broker.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from docflow_notify.webhook_secret import generate_webhook_secret
from docflow_runtime.admin import TopicCreationError, ensure_topics
from docflow_runtime.settings import DEFAULT_STATE_DIR
from docflow_testing.tansu import BrokerStartError
from docflow_tools.broker import local_broker, stop_on_signals
from docflow_tools.services import SERVICES, Service, spawn, stop_processes
from docflow_tools.settings import RunSettings

DEV_API_KEYS: Final = "local:dev-key"
#: A service that keeps crashing is left down rather than restarted in a tight loop.
MAX_RESTARTS: Final = 5


@dataclass
class Running:
    service: Service
    process: subprocess.Popen[bytes]
    restarts: list[float] = field(default_factory=list)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    settings = RunSettings()
    env = development_env(os.environ)
    host, port = settings.broker_address()
    stop = stop_on_signals()
    try:
        with local_broker(host, port, args.log_dir) as bootstrap:
            ensure_topics(bootstrap, settings.topics(), settings.topic_partitions)
            running = [_start(s, env, args.log_dir) for s in _available(SERVICES)]
            _announce(env, running, args.log_dir)
            while not stop.wait(0.5):
                _restart_crashed(running, env, args.log_dir)
            _stop_all(running)
    except (BrokerStartError, TopicCreationError) as exc:
        print(f"docflow: {exc}", file=sys.stderr)
        return 1
    return 0


def development_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment with development defaults for what the user left unset."""
    env = dict(environ)
    env.setdefault("DOCFLOW_API_KEYS", DEV_API_KEYS)
    env.setdefault("DOCFLOW_WEBHOOK_SECRET", generate_webhook_secret())
    # On one machine the receiver of a webhook is usually on localhost too.
    env.setdefault("DOCFLOW_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    env.setdefault("DOCFLOW_LOG_JSON", "false")
    return env


def _available(services: Sequence[Service]) -> list[Service]:
    found = [s for s in services if importlib.util.find_spec(f"{s.module}.__main__")]
    for missing in services:
        if missing not in found:
            print(f"docflow: {missing.name}: `python -m {missing.module}` is not runnable; skipped")
    return found


def _start(service: Service, env: dict[str, str], log_dir: Path) -> Running:
    return Running(service, spawn(service, env, log_dir))


def _announce(env: Mapping[str, str], running: Sequence[Running], log_dir: Path) -> None:
    port = env.get("DOCFLOW_INGEST_PORT", "8080")
    tenant, _, key = env["DOCFLOW_API_KEYS"].split(",")[0].partition(":")
    print(f"docflow is running: {', '.join(r.service.name for r in running)}")
    print(
        f"  API       http://127.0.0.1:{port}/v1/documents   (docs: http://127.0.0.1:{port}/docs)"
    )
    print(f"  API key   {key}  (tenant {tenant!r}; set DOCFLOW_API_KEYS to change)")
    print(f"  logs      {log_dir}/<service>.log")
    print(f"  try       curl -H 'Authorization: Bearer {key}' -F file=@samples/invoices/oyo.png "
          f"http://127.0.0.1:{port}/v1/documents")  # fmt: skip
    print("Ctrl-C stops everything.", flush=True)


def _restart_crashed(running: Sequence[Running], env: dict[str, str], log_dir: Path) -> None:
    now = time.monotonic()
    for entry in running:
        code = entry.process.poll()
        if code is None:
            continue
        entry.restarts = [t for t in entry.restarts if now - t < 60]
        if len(entry.restarts) >= MAX_RESTARTS:
            continue
        print(f"docflow: {entry.service.name} exited with {code}; restarting", flush=True)
        entry.restarts.append(now)
        entry.process = spawn(entry.service, env, log_dir)


def _stop_all(running: Sequence[Running]) -> None:
    print("docflow: stopping services", flush=True)
    stop_processes([entry.process for entry in running])


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_tools.run",
        description="Run the local broker and every docflow service until Ctrl-C.",
    )
    parser.add_argument("--log-dir", type=Path, default=DEFAULT_STATE_DIR / "logs")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
