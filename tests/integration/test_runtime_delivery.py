"""The runtime's promises on a real broker: every input handled, nothing lost, nothing doubled."""

import signal
from collections import Counter

from docflow_events import Topic
from docflow_testing.broker import committed_offsets
from docflow_testing.flow import Flow


def test_every_input_yields_exactly_one_output(flow: Flow) -> None:
    sent = flow.produce(1000)
    with flow.worker():
        outputs = flow.output_ids(expected=1000)
        assert set(outputs) == {s.output_id for s in sent}
        # One more than expected, briefly: only a duplicate could satisfy it.
        assert len(flow.output_ids(expected=1001, timeout=3)) == 1000


def test_sigkill_mid_stream_loses_nothing(flow: Flow) -> None:
    sent = flow.produce(400)
    env = {"DOCFLOW_PASSTHROUGH_SLEEP_SECONDS": "0.02", "DOCFLOW_MAX_IN_FLIGHT": "8"}
    first = flow.process(**env)
    try:
        assert len(flow.output_ids(expected=100)) >= 100
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert len(set(flow.output_ids(expected=None, timeout=5))) < 400, "killed too late"
    second = flow.process(**env)
    try:
        outputs = flow.wait_for_outputs({s.output_id for s in sent}, timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(60) == 0
    assert set(outputs) == {s.output_id for s in sent}
    assert len(outputs) >= len(sent)


def test_sigterm_mid_stream_loses_nothing_and_doubles_nothing(flow: Flow) -> None:
    sent = flow.produce(400)
    env = {
        "DOCFLOW_PASSTHROUGH_SLEEP_SECONDS": "0.05",
        "DOCFLOW_MAX_IN_FLIGHT": "4",
        "DOCFLOW_MAX_PENDING": "16",
    }
    first = flow.process(**env)
    assert len(flow.output_ids(expected=100)) >= 100
    first.send_signal(signal.SIGTERM)
    assert first.wait(60) == 0, "SIGTERM must end the worker cleanly"
    assert len(set(flow.output_ids(expected=None, timeout=5))) < 400, "stopped too late"
    second = flow.process(**env)
    try:
        flow.wait_for_outputs({s.output_id for s in sent}, timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(60) == 0
    outputs = flow.output_ids(expected=len(sent) + 1, timeout=5)
    assert set(outputs) == {s.output_id for s in sent}
    assert [i for i, n in Counter(outputs).items() if n > 1] == []


def test_offsets_never_run_ahead_of_unfinished_work(flow: Flow) -> None:
    # Event 50 of every partition is slow: everything behind it finishes first, and the
    # committed offset must wait at 50 until it is done.
    slow = range(200, 204)
    sent = flow.produce(400, metadata=lambda i: {"sleep": 30.0 if i in slow else 0.01})
    topic = flow.topic(Topic.DOCUMENT_RECEIVED)
    held_at_50 = dict.fromkeys(range(4), 50)
    worker = flow.process(DOCFLOW_MAX_IN_FLIGHT="32", DOCFLOW_MAX_PENDING="400")
    try:
        assert len(flow.output_ids(expected=396)) >= 396
        flow.wait_until(
            lambda: committed_offsets(flow.bootstrap, flow.group, topic, 4) == held_at_50,
            10, "offsets committed up to the slow events",
        )  # fmt: skip
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    done = set(flow.output_ids(expected=None, timeout=5))
    unfinished = sorted((s.partition, s.offset) for s in sent if s.output_id not in done)
    assert unfinished == [(p, 50) for p in range(4)]
    committed = committed_offsets(flow.bootstrap, flow.group, topic, 4)
    assert committed == held_at_50
