"""Topic and consumer-group names: unique, and complete for every stage and event type."""

from docflow_events import StageName, Topic, all_topics, consumer_group, dead_letter_topic, v1
from docflow_events.topics import STAGE_INPUTS


def test_all_topics_has_no_duplicates() -> None:
    topics = all_topics()
    assert len(topics) == len(set(topics))


def test_every_model_publishes_to_a_known_topic() -> None:
    for model in v1.MODELS:
        assert isinstance(model.topic, Topic), model.__name__
        assert str(model.topic) in all_topics()


def test_every_flow_topic_carries_an_event_type() -> None:
    assert {model.topic for model in v1.MODELS} == set(Topic)


def test_every_stage_has_a_dead_letter_topic_and_a_group() -> None:
    for stage in StageName:
        assert dead_letter_topic(stage) in all_topics()
        assert consumer_group(stage) == f"docflow-{stage.value}"
    assert len({dead_letter_topic(s) for s in StageName}) == len(StageName)
    assert len({consumer_group(s) for s in StageName}) == len(StageName)


def test_dead_letter_topics_are_not_flow_topics() -> None:
    assert not {dead_letter_topic(s) for s in StageName} & {str(t) for t in Topic}


def test_every_stage_consumes_flow_topics() -> None:
    assert set(STAGE_INPUTS) == set(StageName)
    for stage, inputs in STAGE_INPUTS.items():
        assert inputs, stage
        assert all(isinstance(topic, Topic) for topic in inputs)
