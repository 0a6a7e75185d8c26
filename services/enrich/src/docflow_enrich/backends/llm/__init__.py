"""Enrichment by a language model: Amazon Bedrock or any OpenAI-compatible server.

The two share everything but the wire: the answer's schema and its checking
(:mod:`.answer`), the prompt (:mod:`.prompt`), chunking (:mod:`.chunking`), merging chunk
answers (:mod:`.merge`), grounding values in the document (:mod:`.grounding`) and the backend
that runs them (:mod:`.backend`); :mod:`.bedrock` and :mod:`.openai` are the wires.
"""

from docflow_enrich.backends.llm.backend import LlmBackend, LlmOptions
from docflow_enrich.backends.llm.errors import (
    ModelAccessError,
    ModelThrottledError,
    ModelUnavailableError,
    UnusableAnswerError,
)

__all__ = [
    "LlmBackend",
    "LlmOptions",
    "ModelAccessError",
    "ModelThrottledError",
    "ModelUnavailableError",
    "UnusableAnswerError",
]
