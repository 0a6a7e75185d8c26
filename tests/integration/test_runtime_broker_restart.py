"""A worker lives through a restart of its broker, even one that lost everything it knew.

The local broker keeps nothing across a restart: topics, offsets and producer ids are gone. The
worker must notice the outage, say it is not ready, and hand results on again once a broker
answers, without being restarted itself.
"""

import os
import signal
import time
from pathlib import Path

import pytest

from docflow_events import Topic, dead_letter_topic
from docflow_testing.broker import make_topics, unique_prefix
from docflow_testing.flow import PARTITIONS, STAGE, Flow
from docflow_testing.tansu import TansuBroker, free_port

pytestmark = pytest.mark.connected
TOPICS = (Topic.DOCUMENT_RECEIVED, Topic.EXTRACTION_COMPLETED, Topic.DOCUMENT_FAILED,
          dead_letter_topic(STAGE))  # fmt: skip


def start_broker(port: int, prefix: str, logs: Path) -> TansuBroker:
    broker = TansuBroker("127.0.0.1", port, log_dir=logs)
    broker.start()
    make_topics(broker.bootstrap, prefix, TOPICS, PARTITIONS)
    return broker


def kill(broker: TansuBroker) -> None:
    assert broker.pid is not None
    os.kill(broker.pid, signal.SIGKILL)
    broker.stop()  # reaps the killed process


def test_a_worker_hands_results_on_after_the_broker_restarted(tmp_path: Path) -> None:
    port, prefix = free_port(), unique_prefix()
    broker = start_broker(port, prefix, tmp_path)
    flow = Flow(broker.bootstrap, prefix, tmp_path)
    try:
        with flow.worker() as worker:
            before = flow.produce(10)
            assert set(flow.output_ids(expected=10)) == {s.output_id for s in before}
            kill(broker)
            Flow.wait_until(lambda: not worker.readiness()[0], 30, "readiness to drop")
            broker = start_broker(port, prefix, tmp_path)
            started = time.monotonic()
            after = flow.produce(10, start=100)
            flow.wait_for_outputs({s.output_id for s in after}, timeout=60)
            assert time.monotonic() - started < 30, "not after a delivery timeout and a restart"
            Flow.wait_until(lambda: worker.readiness()[0], 30, "readiness to come back")
    finally:
        broker.stop()
