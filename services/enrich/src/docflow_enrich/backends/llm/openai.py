"""Any OpenAI-compatible chat-completions server (vLLM, Ollama, LM Studio, llama.cpp's
server, OpenAI itself) over httpx: the answer schema is the ``response_format``.

Throttling (429, 408) and unavailable servers (5xx, connection errors, timeouts) are retried
here, waiting what ``Retry-After`` asks (capped); what still fails then reaches the runtime
as a transient error. The API key is sent as a bearer token and never logged.
"""

import random
import time
from typing import Any, Final

import httpx
from pydantic import BaseModel, Field, SecretStr, ValidationError

from docflow_enrich.backends.llm.answer import answer_schema
from docflow_enrich.backends.llm.client import ModelClient, Reply, Usage
from docflow_enrich.backends.llm.errors import (
    ModelAccessError,
    ModelRefusedError,
    ModelThrottledError,
    ModelUnavailableError,
    retry_after_seconds,
)
from docflow_enrich.backends.llm.prompt import ANSWER_NAME, SYSTEM_PROMPT, Prompt
from docflow_runtime.logging import get_logger

_log = get_logger(__name__)
_THROTTLED: Final = frozenset({408, 425, 429})
_DENIED: Final = frozenset({401, 403, 404})
_FIRST_BACKOFF_SECONDS: Final = 0.5


class _Message(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    message: _Message
    finish_reason: str | None = None


class _Usage(BaseModel):
    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)


class _Completion(BaseModel):
    """The part of a chat completion read here; servers add fields of their own."""

    choices: list[_Choice] = Field(min_length=1)
    usage: _Usage = Field(default_factory=_Usage)


class OpenAIClient(ModelClient):
    provider = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: SecretStr | None,
        timeout_seconds: float,
        max_attempts: int,
        max_retry_wait_seconds: float,
        temperature: float,
    ) -> None:
        self.model = model
        self._temperature = temperature
        self._max_attempts = max_attempts
        self._max_wait = max_retry_wait_seconds
        headers = {"Authorization": f"Bearer {api_key.get_secret_value()}"} if api_key else {}
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/", timeout=timeout_seconds, headers=headers
        )

    def ask(self, prompt: Prompt, *, max_tokens: int) -> Reply:
        completion = self._completion(self._body(prompt, max_tokens))
        choice = completion.choices[0]
        return Reply(
            payload=choice.message.content,
            truncated=choice.finish_reason == "length",
            usage=Usage(completion.usage.prompt_tokens, completion.usage.completion_tokens),
        )

    def close(self) -> None:
        self._http.close()

    def _body(self, prompt: Prompt, max_tokens: int) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": prompt.user_message()},
            ],
            "max_tokens": max_tokens,
            "temperature": self._temperature,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": ANSWER_NAME, "strict": True, "schema": answer_schema()},
            },
        }

    def _completion(self, body: dict[str, Any]) -> _Completion:
        for attempt in range(1, self._max_attempts + 1):
            try:
                return self._post(body)
            except (ModelThrottledError, ModelUnavailableError) as exc:
                if attempt == self._max_attempts:
                    raise
                wait = self._wait(exc.retry_after, attempt)
                _log.warning("model busy, retrying", attempt=attempt, wait_seconds=wait)
                time.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(self, retry_after: float | None, attempt: int) -> float:
        if retry_after is None:
            # Full jitter, so that the workers a busy server throttled do not return together.
            retry_after = random.uniform(0, _FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1))  # noqa: S311
        return min(retry_after, self._max_wait)

    def _post(self, body: dict[str, Any]) -> _Completion:
        try:
            response = self._http.post("chat/completions", json=body)
        except httpx.TransportError as exc:
            reason = f"the model server did not answer ({type(exc).__name__})"
            raise ModelUnavailableError(reason) from exc
        _raise_for_status(response)
        try:
            return _Completion.model_validate_json(response.content)
        except ValidationError as exc:
            raise ModelUnavailableError(
                "the model server's answer is not a chat completion"
            ) from exc


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    if status in _THROTTLED:
        raise ModelThrottledError(
            f"the model server throttled (HTTP {status})", retry_after=retry_after
        )
    if status >= 500:
        raise ModelUnavailableError(
            f"the model server failed (HTTP {status})", retry_after=retry_after
        )
    if status in _DENIED:
        _log.error(
            "the model server refused access: check DOCFLOW_ENRICH_OPENAI_API_KEY, "
            "DOCFLOW_ENRICH_OPENAI_MODEL and DOCFLOW_ENRICH_OPENAI_BASE_URL",
            status=status,
        )
        raise ModelAccessError(f"the model server refused access (HTTP {status})")
    raise ModelRefusedError(f"the model server refused the request (HTTP {status})")
