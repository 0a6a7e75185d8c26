"""A model as an enrichment backend: chunk (map), ask, check, merge (reduce), ground, price.

Everything but the wire is here, shared by Bedrock and OpenAI-compatible servers. A chunk
whose answer is truncated or does not fit the schema is asked once more (with twice the
output tokens when it was truncated); a second failure makes the whole document's answer
unusable (:class:`UnusableAnswerError`), never a partial success.
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import get_args

from docflow_enrich.backends.base import Enrichment, EnrichmentBackend
from docflow_enrich.backends.llm.answer import (
    DocumentKind,
    InvalidAnswerError,
    ModelAnswer,
    classification_of,
    entities_of,
    parse_answer,
)
from docflow_enrich.backends.llm.chunking import chunks
from docflow_enrich.backends.llm.client import ModelClient, Usage
from docflow_enrich.backends.llm.errors import ModelRefusedError, UnusableAnswerError
from docflow_enrich.backends.llm.grounding import ungrounded
from docflow_enrich.backends.llm.merge import merge
from docflow_enrich.backends.llm.prompt import Prompt
from docflow_events.v1 import Cost
from docflow_events.v1.results import ExtractionResult
from docflow_runtime.logging import get_logger
from docflow_runtime.pricing import priced

_log = get_logger(__name__)
_KINDS = frozenset(get_args(DocumentKind))
_ATTEMPTS_PER_CHUNK = 2


@dataclass(frozen=True)
class LlmOptions:
    max_tokens: int
    chunk_chars: int
    max_chunks: int


class _ChunkFailedError(Exception):
    """One chunk gave no usable answer; the document's answer is unusable."""


class LlmBackend(EnrichmentBackend):
    def __init__(
        self, client: ModelClient, options: LlmOptions, prices: Mapping[str, float]
    ) -> None:
        self.name = client.provider
        self._client = client
        self._options = options
        self._prices = prices

    def enrich(self, extraction: ExtractionResult, hint: str | None = None) -> Enrichment:
        text = extraction.text
        prompts = self._prompts(text, hint)
        usage: list[Usage] = []
        try:
            answer = merge([self._answer(prompt, usage) for prompt in prompts])
        except _ChunkFailedError as exc:
            raise UnusableAnswerError(str(exc), cost=self._cost(usage)) from exc
        entities = entities_of(answer)
        started = time.perf_counter()
        flags = ungrounded(entities, text)
        _log.info(
            "model answer checked",
            chunks=len(prompts),
            ungrounded=len(flags),
            grounding_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return Enrichment(
            classification=classification_of(answer),
            entities=entities,
            summary=answer.summary,
            cost=self._cost(usage),
            ungrounded=flags,
        )

    def close(self) -> None:
        self._client.close()

    def _prompts(self, text: str, hint: str | None) -> list[Prompt]:
        parts = chunks(text, self._options.chunk_chars)
        if not parts:
            raise UnusableAnswerError("the document has no text to read", cost=self._cost([]))
        if len(parts) > self._options.max_chunks:
            _log.warning("document cut", chunks=len(parts), read=self._options.max_chunks)
            parts = parts[: self._options.max_chunks]
        # Only a known type goes into the prompt: the hint comes from the sender.
        known = hint if hint in _KINDS else None
        return [Prompt(part, n, len(parts), known) for n, part in enumerate(parts, 1)]

    def _answer(self, prompt: Prompt, usage: list[Usage]) -> ModelAnswer:
        max_tokens = self._options.max_tokens
        problem = ""
        for attempt in range(1, _ATTEMPTS_PER_CHUNK + 1):
            try:
                reply = self._client.ask(prompt, max_tokens=max_tokens)
            except ModelRefusedError as exc:
                raise _ChunkFailedError(f"part {prompt.part}: {exc}") from exc
            usage.append(reply.usage)
            if reply.truncated:
                problem = "the answer was cut at the output token limit"
                max_tokens *= 2
            else:
                try:
                    return parse_answer(reply.payload)
                except InvalidAnswerError as exc:
                    problem = str(exc)
            _log.warning("unusable model answer", part=prompt.part, attempt=attempt, why=problem)
        raise _ChunkFailedError(f"part {prompt.part}: {problem}")

    def _cost(self, usage: list[Usage]) -> Cost:
        total = sum(usage, Usage())
        units = {"input_tokens": total.input_tokens, "output_tokens": total.output_tokens}
        return priced(self.name, units, self._prices, model=self._client.model)
