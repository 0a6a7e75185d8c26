"""Topic and consumer-group names: the one place they are spelled.

Deployments that share a cluster between environments set a prefix (``DOCFLOW_TOPIC_PREFIX``)
which the runtime puts in front of every name here; the names themselves never change.
"""

from enum import StrEnum


class Topic(StrEnum):
    DOCUMENT_RECEIVED = "docflow.document.received"
    EXTRACTION_COMPLETED = "docflow.extraction.completed"
    VALIDATION_PASSED = "docflow.validation.passed"
    VALIDATION_FAILED = "docflow.validation.failed"
    REVIEW_DECIDED = "docflow.review.decided"
    ENRICHMENT_COMPLETED = "docflow.enrichment.completed"
    DOCUMENT_STORED = "docflow.document.stored"
    DOCUMENT_FAILED = "docflow.document.failed"


class StageName(StrEnum):
    """The consuming stages; each has its own consumer group and dead-letter topic."""

    EXTRACT = "extract"
    VALIDATE = "validate"
    ENRICH = "enrich"
    STORE = "store"
    TRACKER = "tracker"
    NOTIFY = "notify"


#: What each stage consumes. The tracker follows every flow topic to keep document status;
#: notify sends webhooks when a document reaches a final state.
STAGE_INPUTS: dict[StageName, tuple[Topic, ...]] = {
    StageName.EXTRACT: (Topic.DOCUMENT_RECEIVED,),
    StageName.VALIDATE: (Topic.EXTRACTION_COMPLETED,),
    StageName.ENRICH: (Topic.VALIDATION_PASSED, Topic.REVIEW_DECIDED),
    StageName.STORE: (Topic.ENRICHMENT_COMPLETED,),
    StageName.TRACKER: tuple(Topic),
    StageName.NOTIFY: (Topic.DOCUMENT_STORED, Topic.DOCUMENT_FAILED, Topic.REVIEW_DECIDED),
}


def consumer_group(stage: StageName | str) -> str:
    """The consumer group of a stage; KEDA's trigger must name the same group."""
    return f"docflow-{stage}"


def dead_letter_topic(stage: StageName | str) -> str:
    """Dead letters are kept per consumer group, so a replay reaches only the stage that failed."""
    return f"docflow.dlq.{stage}"


def all_topics() -> list[str]:
    """Every topic a deployment needs: the flow topics and one dead-letter topic per stage."""
    return [str(t) for t in Topic] + [dead_letter_topic(s) for s in StageName]
