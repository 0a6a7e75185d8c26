"""Amazon Bedrock through the Converse API: the answer schema is a tool the model must call.

``toolChoice`` names the tool, so the model's only output is the tool's input, and Bedrock
checks it is JSON. botocore's standard retry mode retries throttling and unavailable
service errors (``ThrottlingException``, ``ServiceUnavailableException``, 5xx) with backoff;
what is still failing after those attempts reaches the runtime as a transient error.
"""

from typing import TYPE_CHECKING, Any, Final

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

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
from docflow_runtime.errors import ConfigurationError
from docflow_runtime.logging import get_logger

if TYPE_CHECKING:
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient
    from mypy_boto3_bedrock_runtime.type_defs import (
        ConverseResponseTypeDef,
        ToolConfigurationTypeDef,
    )

_log = get_logger(__name__)
_THROTTLED: Final = frozenset({"ThrottlingException", "TooManyRequestsException"})
_UNAVAILABLE: Final = frozenset(
    {
        "ServiceUnavailableException",
        "InternalServerException",
        "ModelNotReadyException",
        "ModelTimeoutException",
    }
)
_DENIED: Final = frozenset(
    {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "ExpiredTokenException",
        "InvalidSignatureException",
        "ResourceNotFoundException",
    }
)
_CONNECT_TIMEOUT_SECONDS: Final = 10.0


class BedrockRegionError(ConfigurationError):
    """No AWS region is set for Bedrock."""


class BedrockClient(ModelClient):
    provider = "bedrock"

    def __init__(
        self,
        *,
        model_id: str,
        region: str | None,
        endpoint_url: str | None,
        timeout_seconds: float,
        max_attempts: int,
        temperature: float,
    ) -> None:
        self.model = model_id
        self._temperature = temperature
        config = Config(
            connect_timeout=min(_CONNECT_TIMEOUT_SECONDS, timeout_seconds),
            read_timeout=timeout_seconds,
            retries={"total_max_attempts": max_attempts, "mode": "standard"},
        )
        try:
            self._client: BedrockRuntimeClient = boto3.client(
                "bedrock-runtime", region_name=region, endpoint_url=endpoint_url, config=config
            )
        except NoRegionError as exc:
            raise BedrockRegionError(
                "Bedrock needs a region: set DOCFLOW_ENRICH_BEDROCK_REGION or AWS_DEFAULT_REGION"
            ) from exc

    def ask(self, prompt: Prompt, *, max_tokens: int) -> Reply:
        try:
            response = self._client.converse(
                modelId=self.model,
                system=[{"text": SYSTEM_PROMPT}],
                messages=[{"role": "user", "content": [{"text": prompt.user_message()}]}],
                inferenceConfig={"maxTokens": max_tokens, "temperature": self._temperature},
                toolConfig=_tool_config(),
            )
        except ClientError as exc:
            raise _translated(exc) from exc
        except (NoCredentialsError, PartialCredentialsError) as exc:
            _log.error("no AWS credentials for Bedrock", model=self.model)
            raise ModelAccessError("no AWS credentials were found for Bedrock") from exc
        except BotoCoreError as exc:
            raise ModelUnavailableError(f"Bedrock did not answer ({type(exc).__name__})") from exc
        return _reply(response)

    def close(self) -> None:
        self._client.close()


def _tool_config() -> "ToolConfigurationTypeDef":
    return {
        "tools": [
            {
                "toolSpec": {
                    "name": ANSWER_NAME,
                    "description": "Record the facts the document states.",
                    "inputSchema": {"json": answer_schema()},
                }
            }
        ],
        "toolChoice": {"tool": {"name": ANSWER_NAME}},
    }


def _reply(response: "ConverseResponseTypeDef") -> Reply:
    usage = response.get("usage") or {"inputTokens": 0, "outputTokens": 0}
    return Reply(
        payload=_tool_input(response),
        truncated=response.get("stopReason") == "max_tokens",
        usage=Usage(usage.get("inputTokens", 0), usage.get("outputTokens", 0)),
    )


def _tool_input(response: "ConverseResponseTypeDef") -> Any:
    blocks = response.get("output", {}).get("message", {}).get("content", [])
    for block in blocks:
        tool_use = block.get("toolUse")
        if tool_use is not None and tool_use.get("name") == ANSWER_NAME:
            return tool_use.get("input")
    return None


def _translated(exc: ClientError) -> Exception:
    code = exc.response.get("Error", {}).get("Code", "")
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code in _THROTTLED or status == 429:
        return ModelThrottledError(f"Bedrock throttled ({code})", retry_after=_retry_after(exc))
    if code in _UNAVAILABLE or status >= 500:
        return ModelUnavailableError(f"Bedrock unavailable ({code or status})")
    if code in _DENIED or status in (401, 403, 404):
        _log.error(
            "Bedrock refused access: check the IAM permission bedrock:InvokeModel, the model "
            "access and DOCFLOW_ENRICH_BEDROCK_MODEL_ID",
            error_code=code,
        )
        return ModelAccessError(f"Bedrock refused access ({code or status})")
    return ModelRefusedError(f"Bedrock refused the request ({code or status})")


def _retry_after(exc: ClientError) -> float | None:
    headers = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    return retry_after_seconds(headers.get("retry-after"))
