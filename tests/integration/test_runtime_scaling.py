"""Scaling on a real broker: partitions shared in a group, slow handlers run concurrently."""

from collections import Counter

from docflow_events import Topic
from docflow_testing.flow import PARTITIONS, Flow
from docflow_testing.passthrough import PassThrough


def test_two_workers_share_the_partitions_and_one_takes_over_when_the_other_leaves(
    flow: Flow,
) -> None:
    topic = flow.topic(Topic.DOCUMENT_RECEIVED)
    everything = {(topic, p) for p in range(PARTITIONS)}
    first_half = flow.produce(200, metadata=lambda _: {"sleep": 0.02})
    a, b = PassThrough(flow.settings()), PassThrough(flow.settings())
    with flow.worker(a, max_in_flight=4) as worker_a:
        with flow.worker(b, max_in_flight=4) as worker_b:
            flow.wait_until(
                lambda: bool(worker_a.assigned) and bool(worker_b.assigned), 60, "both assigned"
            )
            flow.wait_for_outputs({s.output_id for s in first_half}, timeout=60)
            assert worker_a.assigned | worker_b.assigned == everything
            assert not worker_a.assigned & worker_b.assigned
            assert a.handled(), "both workers should have handled events"
            assert b.handled(), "both workers should have handled events"
        flow.wait_until(lambda: worker_a.assigned == everything, 60, "a to take every partition")
        second_half = flow.produce(200, start=200)
        outputs = flow.wait_for_outputs({s.output_id for s in first_half + second_half}, 60)
    assert {s.event_id for s in second_half} <= a.handled()
    assert [i for i, n in Counter(outputs).items() if n > 1] == []


def test_a_slow_handler_runs_concurrently_up_to_the_in_flight_bound(flow: Flow) -> None:
    """200 ms per event: 32 in flight should give close to 32 times the throughput of 1."""
    rates: dict[int, float] = {}
    for in_flight, count in ((1, 10), (32, 320)):
        sent = flow.produce(count, metadata=lambda _: {"sleep": 0.2}, start=len(rates) * 1000)
        stage = PassThrough(flow.settings())
        with flow.worker(stage, max_in_flight=in_flight, max_pending=400):
            flow.wait_for_outputs({s.output_id for s in sent}, timeout=60)
        rates[in_flight] = count / stage.busy_seconds()
    assert rates[1] <= 5.0 * 1.05, rates  # one at a time cannot beat 1 / 0.2 s
    assert rates[32] / rates[1] >= 24, rates
