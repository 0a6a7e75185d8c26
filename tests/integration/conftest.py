"""A per-test pass-through flow on the session's real broker."""

from pathlib import Path

import pytest

from docflow_events import Topic, dead_letter_topic
from docflow_testing.broker import TopicFactory
from docflow_testing.flow import PARTITIONS, STAGE, Flow


@pytest.fixture
def flow(
    kafka_bootstrap: str, topic_prefix: str, kafka_topics: TopicFactory, tmp_path: Path
) -> Flow:
    kafka_topics(
        Topic.DOCUMENT_RECEIVED,
        Topic.EXTRACTION_COMPLETED,
        Topic.DOCUMENT_FAILED,
        dead_letter_topic(STAGE),
        partitions=PARTITIONS,
    )
    return Flow(kafka_bootstrap, topic_prefix, tmp_path)
