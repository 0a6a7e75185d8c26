"""The wire to a model: what the Bedrock and OpenAI-compatible clients have in common."""

from abc import ABC, abstractmethod
from dataclasses import dataclass

from docflow_enrich.backends.llm.prompt import Prompt


@dataclass(frozen=True)
class Usage:
    """Tokens one or more calls were billed."""

    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            self.input_tokens + other.input_tokens, self.output_tokens + other.output_tokens
        )


@dataclass(frozen=True)
class Reply:
    """One call's outcome: the answer as the wire gave it (a decoded object or JSON text,
    None when there was none), whether it was cut at the token limit, and its usage."""

    payload: object
    truncated: bool
    usage: Usage


class ModelClient(ABC):
    """Asks one model for one chunk's answer, its schema forced; safe to call from many
    threads. Raises the errors of :mod:`docflow_enrich.backends.llm.errors`."""

    provider: str
    model: str

    @abstractmethod
    def ask(self, prompt: Prompt, *, max_tokens: int) -> Reply: ...

    @abstractmethod
    def close(self) -> None: ...
