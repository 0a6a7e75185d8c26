"""How a document's status may move: forward only, and never out of a final state.

Events of one document are ordered per topic but not across topics, so the tracker can see a
late event of an earlier step; ranks make such an event a no-op instead of a step back.
Every results store applies this same rule.
"""

from typing import Final

from docflow_results.models import DocumentStatus

#: needs_review and validated share a rank: an approval moves needs_review to validated.
_RANK: Final[dict[DocumentStatus, int]] = {
    DocumentStatus.RECEIVED: 0,
    DocumentStatus.EXTRACTED: 1,
    DocumentStatus.NEEDS_REVIEW: 2,
    DocumentStatus.VALIDATED: 2,
    DocumentStatus.ENRICHED: 3,
    DocumentStatus.STORED: 4,
}


def next_status(current: DocumentStatus, proposed: DocumentStatus | None) -> DocumentStatus:
    """The status after an event proposing ``proposed`` arrives at a document in ``current``."""
    if proposed is None or current.final:
        return current
    if proposed.final:
        # stored, rejected and failed each end a run whatever step it had reached.
        return proposed
    return proposed if _RANK[proposed] >= _RANK[current] else current
