"""``make run``: the whole pipeline on one machine — broker, topics and every service.

Each service runs as its own process, as in a cluster, with the embedded defaults (SQLite,
a local blob directory). Settings come from the environment like everywhere else; only what
is unset gets a development default, and the defaults are printed. While it runs, it starts
the broker and the services again when they exit, and gives up on those restarting cannot
help (``docflow_tools.supervision``). Ctrl-C stops the services in flow order, each after the
one before it has drained (``docflow_tools.shutdown``), then the broker.
"""

import argparse
import importlib.util
import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Final

from docflow_notify.webhook_secret import generate_webhook_secret
from docflow_reconciler.factory import build as build_reconciler
from docflow_reconciler.settings import ReconcilerSettings
from docflow_results import migrate
from docflow_results.factory import UnsupportedStoreUrlError
from docflow_runtime.admin import TopicCreationError, ensure_topics
from docflow_runtime.errors import ConfigurationError, TransientError
from docflow_runtime.logging import configure_logging
from docflow_runtime.settings import DEFAULT_STATE_DIR
from docflow_testing.tansu import BrokerStartError
from docflow_tools.broker import (
    BrokerLostError,
    BrokerWatch,
    StopRequests,
    local_broker,
    stop_on_signals,
)
from docflow_tools.recovery import LostInFlight
from docflow_tools.run_lock import RunningElsewhereError, only_run
from docflow_tools.services import SERVICES, Service, configured, spawn, stop_processes
from docflow_tools.settings import RunSettings
from docflow_tools.shutdown import Drain, in_flight, stop_in_flow_order
from docflow_tools.supervision import HaltFile, Supervisor

DEV_API_KEYS: Final = "local:dev-key"
_TICK_SECONDS: Final = 0.5

Supervised = Supervisor[subprocess.Popen[bytes]]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    # The terminal is the supervisor's: it says what happened in its own words; the services'
    # logs are in their files, and the Kafka client of its own re-drives keeps quiet.
    configure_logging("make-run", "WARNING", json=False)
    logging.getLogger("confluent_kafka").setLevel(logging.CRITICAL)
    settings = RunSettings()
    try:
        with only_run(settings.run_lock_file.absolute()):
            return _run_alone(args, settings)
    except RunningElsewhereError as exc:
        _fail(str(exc))
        return 1


def _run_alone(args: argparse.Namespace, settings: RunSettings) -> int:
    halt = HaltFile(settings.halt_file.absolute())
    env = development_env(os.environ, halt.path)
    host, port = settings.broker_address()
    stop = stop_on_signals()
    # A file left by an earlier run would make ingest refuse uploads for a cause now fixed.
    halt.clear()
    try:
        with local_broker(host, port, args.log_dir) as broker:
            if broker.own is None:
                _say(f"a broker already answers at {broker.bootstrap}: using it, not watching it")
            prepare = partial(_create_topics, settings)
            prepare(broker.bootstrap)
            # As a cluster's migration Job does before the services start: they refuse a
            # PostgreSQL schema that is behind, or a DynamoDB table that is not there.
            _say(f"results store: {migrate.run(settings)}")
            watch = BrokerWatch(broker.own, broker.bootstrap, prepare, _say)
            services = configured(
                SERVICES,
                health_port_base=settings.run_health_port_base,
                modules=settings.run_service_modules,
            )
            supervisor = _supervisor(_available(services), env, args.log_dir, halt)
            lost = LostInFlight(lambda: build_reconciler(ReconcilerSettings()), _say)
            try:
                supervisor.start_all()
                _announce(env, supervisor.names, args.log_dir)
                return _run(watch, supervisor, lost, settings=settings, env=env, stop=stop)
            finally:
                # Whatever happened above, no service outlives make run.
                supervisor.stop_all()
                lost.close()
    except (BrokerStartError, TopicCreationError) as exc:
        _fail(str(exc))
        return 1
    except (ConfigurationError, TransientError) as exc:
        _fail(f"cannot prepare the results store: {exc}")
        return 1


def development_env(environ: Mapping[str, str], halt_file: Path) -> dict[str, str]:
    """The environment with development defaults for what the user left unset, and the halt
    file ingest is to watch (``DOCFLOW_HALT_FILE``, read into ``halt_file`` if set)."""
    env = dict(environ) | {"DOCFLOW_HALT_FILE": str(halt_file)}
    env.setdefault("DOCFLOW_API_KEYS", DEV_API_KEYS)
    env.setdefault("DOCFLOW_WEBHOOK_SECRET", generate_webhook_secret())
    # On one machine the receiver of a webhook is usually on localhost too.
    env.setdefault("DOCFLOW_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    env.setdefault("DOCFLOW_LOG_JSON", "false")
    return env


def tenants(api_keys: str) -> list[str]:
    """The tenants of ``DOCFLOW_API_KEYS`` (``tenant:key,...``), each once."""
    named = (entry.partition(":")[0].strip() for entry in api_keys.split(","))
    return list(dict.fromkeys(tenant for tenant in named if tenant))


def _run(
    watch: BrokerWatch,
    supervisor: Supervised,
    lost: LostInFlight,
    *,
    settings: RunSettings,
    env: Mapping[str, str],
    stop: StopRequests,
) -> int:
    def tick() -> None:
        supervisor.check()
        watch.check()
        lost.check(watch.started_at)

    try:
        while not stop.first.wait(_TICK_SECONDS):
            tick()
        _say("stopping in flow order (Ctrl-C again stops at once)")
        keys = tenants(env["DOCFLOW_API_KEYS"])
        # Read at each count: a broker restart while draining moves it.
        with in_flight(settings, keys, lambda: watch.started_at) as pending:
            timeout = settings.run_drain_timeout_seconds
            stop_in_flow_order(supervisor, Drain(pending, timeout, stop.again, tick, _say))
    except BrokerLostError as exc:
        _fail(f"{exc}; stopping everything")
        return 1
    except UnsupportedStoreUrlError as exc:
        _fail(f"cannot read the results store to see what is in flight ({exc}); stopping at once")
        return 1
    return 0


def _create_topics(settings: RunSettings, bootstrap: str) -> None:
    ensure_topics(bootstrap, settings.topics(), settings.topic_partitions)


def _supervisor(
    services: Sequence[Service], env: Mapping[str, str], log_dir: Path, halt: HaltFile
) -> Supervised:
    return Supervisor(
        services,
        start=lambda service: spawn(service, dict(env), log_dir),
        stop_together=stop_processes,
        log_dir=log_dir,
        halt=halt,
        say=_say,
        clock=time.monotonic,
    )


def _available(services: Sequence[Service]) -> list[Service]:
    found = [s for s in services if importlib.util.find_spec(f"{s.module}.__main__")]
    for missing in services:
        if missing not in found:
            _say(f"{missing.name}: `python -m {missing.module}` is not runnable; skipped")
    for replaced in (s for s in found if s.main_module):
        # Never by accident: a replaced service is not the one that ships.
        _say(f"{replaced.name}: running `python -m {replaced.module}` in its place"
             " (DOCFLOW_RUN_SERVICE_MODULES, development only)")  # fmt: skip
    return found


def _announce(env: Mapping[str, str], names: Sequence[str], log_dir: Path) -> None:
    port = env.get("DOCFLOW_INGEST_PORT", "8080")
    tenant, _, key = env["DOCFLOW_API_KEYS"].split(",")[0].partition(":")
    print(f"docflow is running: {', '.join(names)}")
    print(
        f"  API       http://127.0.0.1:{port}/v1/documents   (docs: http://127.0.0.1:{port}/docs)"
    )
    print(f"  API key   {key}  (tenant {tenant!r}; set DOCFLOW_API_KEYS to change)")
    print(f"  review    http://127.0.0.1:{port}/review   (sign in with the API key)")
    print(f"  logs      {log_dir}/<service>.log")
    print(f"  try       curl -H 'Authorization: Bearer {key}' -F file=@samples/invoices/oyo.png "
          f"http://127.0.0.1:{port}/v1/documents")  # fmt: skip
    print("Ctrl-C stops everything (in flow order; Ctrl-C again stops at once).", flush=True)


def _say(message: str) -> None:
    print(f"docflow: {message}", flush=True)


def _fail(message: str) -> None:
    print(f"docflow: {message}", file=sys.stderr, flush=True)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_tools.run",
        description="Run the local broker and every docflow service until Ctrl-C.",
    )
    parser.add_argument("--log-dir", type=Path, default=DEFAULT_STATE_DIR / "logs")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
