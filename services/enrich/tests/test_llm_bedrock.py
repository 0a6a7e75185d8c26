"""The Bedrock backend over the wire: the real boto3 client against a loopback server that
speaks the Converse API (``POST /model/{modelId}/converse``, AWS JSON errors)."""

from urllib.parse import unquote

import pytest

from docflow_enrich.backends import backend_from_settings
from docflow_enrich.backends.llm import (
    LlmBackend,
    ModelAccessError,
    ModelThrottledError,
    ModelUnavailableError,
    UnusableAnswerError,
)
from docflow_enrich.backends.llm.answer import answer_schema
from docflow_enrich.backends.llm.bedrock import BedrockRegionError
from docflow_enrich.settings import EnrichSettings
from docflow_events.v1 import Cost
from docflow_events.v1.results import ExtractionResult, Page
from docflow_runtime.errors import ConfigurationError, TransientError
from docflow_testing.aws import TEST_ENVIRONMENT
from docflow_testing.llm_servers import (
    Canned,
    ModelServer,
    Step,
    aws_error,
    converse_answer,
    document_facts,
    model_server,
)
from docflow_testing.samples import read_pdf, sample

MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0"
KITE_NDA = "kleister-nda/031470434423a8c40105a4b404ced88b.pdf"
KITE_FACTS = document_facts(
    document_type="nda",
    type_confidence=0.95,
    parties=["Kite Pharma, Inc.", "Gilead Sciences, Inc."],
    effective_date="2017-02-10",
    jurisdiction="California",
    term="7 years",
    summary="A confidentiality agreement between Kite Pharma and Gilead Sciences.",
)


@pytest.fixture(autouse=True)
def _aws_test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def kite() -> ExtractionResult:
    return read_pdf(sample(KITE_NDA))


def _backend(server: ModelServer, **settings: object) -> LlmBackend:
    defaults: dict[str, object] = {
        "enrich_backend": "bedrock",
        "enrich_bedrock_model_id": MODEL,
        "enrich_bedrock_region": "us-east-1",
        "enrich_bedrock_endpoint_url": server.url,
        "enrich_model_max_attempts": 2,
    }
    backend = backend_from_settings(EnrichSettings(**{**defaults, **settings}))  # type: ignore[arg-type]
    assert isinstance(backend, LlmBackend)
    return backend


def _text(text: str) -> ExtractionResult:
    return ExtractionResult(
        document_id="doc-1",
        media_type="text/plain",
        backend="local",
        pages=[Page(number=1, text=text, method="text")],
        cost=Cost(backend="local"),
    )


def test_a_good_answer_is_the_enrichment(kite: ExtractionResult) -> None:
    with model_server(
        [converse_answer(KITE_FACTS, input_tokens=4100, output_tokens=180)]
    ) as server:
        backend = _backend(server)
        found = backend.enrich(kite, hint="nda")
        backend.close()
    assert (found.classification.type, found.classification.confidence) == ("nda", 0.95)
    assert found.entities.parties == ["Kite Pharma, Inc.", "Gilead Sciences, Inc."]
    assert str(found.entities.effective_date) == "2017-02-10"
    assert found.entities.jurisdiction == "California"
    assert found.ungrounded == []
    [request] = server.requests
    assert unquote(request.path) == f"/model/{MODEL}/converse"
    tool = request.body["toolConfig"]
    assert tool["toolChoice"] == {"tool": {"name": "record_document_facts"}}
    assert tool["tools"][0]["toolSpec"]["inputSchema"]["json"] == answer_schema()
    assert request.body["inferenceConfig"]["maxTokens"] == 2048
    assert "Kite Pharma" in request.body["messages"][0]["content"][0]["text"]


def test_token_costs_are_priced_by_model(kite: ExtractionResult) -> None:
    with model_server(
        [converse_answer(KITE_FACTS, input_tokens=4100, output_tokens=180)]
    ) as server:
        found = _backend(server).enrich(kite)
    assert found.cost.backend == "bedrock"
    assert found.cost.model == MODEL
    assert found.cost.units == {"input_tokens": 4100, "output_tokens": 180}
    assert found.cost.usd == pytest.approx(4100 * 0.8e-6 + 180 * 4.0e-6)


def test_an_inference_profile_is_priced_as_its_model(kite: ExtractionResult) -> None:
    profile = f"us.{MODEL}"
    with model_server(
        [converse_answer(KITE_FACTS, input_tokens=1000, output_tokens=100)]
    ) as server:
        found = _backend(server, enrich_bedrock_model_id=profile).enrich(kite)
    assert unquote(server.requests[0].path) == f"/model/{profile}/converse"
    assert found.cost.usd == pytest.approx(1000 * 0.8e-6 + 100 * 4.0e-6)


def test_throttling_then_success(kite: ExtractionResult) -> None:
    script = [aws_error("ThrottlingException", 429), converse_answer(KITE_FACTS)]
    with model_server(script) as server:
        found = _backend(server).enrich(kite)
    assert len(server.requests) == 2
    assert found.entities.jurisdiction == "California"


def test_throttling_past_the_retries_is_transient(kite: ExtractionResult) -> None:
    with model_server([aws_error("ThrottlingException", 429, retry_after="7")]) as server:
        backend = _backend(server, enrich_model_max_attempts=2)
        with pytest.raises(ModelThrottledError) as caught:
            backend.enrich(kite)
    assert isinstance(caught.value, TransientError)
    assert caught.value.retry_after == 7.0
    assert len(server.requests) == 2


def test_an_unavailable_service_is_transient(kite: ExtractionResult) -> None:
    with (
        model_server([aws_error("ServiceUnavailableException", 503)]) as server,
        pytest.raises(ModelUnavailableError),
    ):
        _backend(server).enrich(kite)
    assert len(server.requests) == 2


def test_denied_access_is_a_transient_configuration_error(kite: ExtractionResult) -> None:
    with (
        model_server([aws_error("AccessDeniedException", 403)]) as server,
        pytest.raises(ModelAccessError) as caught,
    ):
        _backend(server).enrich(kite)
    assert isinstance(caught.value, TransientError)
    assert isinstance(caught.value, ConfigurationError)
    assert len(server.requests) == 1


def test_a_refused_request_makes_the_answer_unusable(kite: ExtractionResult) -> None:
    with (
        model_server([aws_error("ValidationException", 400)]) as server,
        pytest.raises(UnusableAnswerError, match="ValidationException"),
    ):
        _backend(server).enrich(kite)
    assert len(server.requests) == 1


def test_a_truncated_answer_is_retried_once_with_more_tokens(kite: ExtractionResult) -> None:
    cut = converse_answer({"document_type": "nda"}, stop_reason="max_tokens", output_tokens=2048)
    script: list[Step] = [cut, converse_answer(KITE_FACTS, input_tokens=4000, output_tokens=300)]
    with model_server(script) as server:
        found = _backend(server).enrich(kite)
    assert [r.body["inferenceConfig"]["maxTokens"] for r in server.requests] == [2048, 4096]
    assert found.cost.units == {"input_tokens": 5000, "output_tokens": 2348}


def test_a_truncated_answer_twice_is_unusable(kite: ExtractionResult) -> None:
    cut = converse_answer(KITE_FACTS, stop_reason="max_tokens", output_tokens=2048)
    with (
        model_server([cut]) as server,
        pytest.raises(UnusableAnswerError, match="output token limit") as caught,
    ):
        _backend(server).enrich(kite)
    assert len(server.requests) == 2
    assert caught.value.cost.units == {"input_tokens": 2000, "output_tokens": 4096}


def test_an_answer_outside_the_schema_is_retried_then_unusable(kite: ExtractionResult) -> None:
    with (
        model_server([converse_answer({"document_type": "nda"})]) as server,
        pytest.raises(UnusableAnswerError, match="does not fit the schema"),
    ):
        _backend(server).enrich(kite)
    assert len(server.requests) == 2


def test_an_answer_without_the_tool_call_is_invalid(kite: ExtractionResult) -> None:
    text_only = Canned(
        200,
        {
            "output": {"message": {"role": "assistant", "content": [{"text": "Sure!"}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": 10, "outputTokens": 2, "totalTokens": 12},
            "metrics": {"latencyMs": 1},
        },
    )
    with model_server([text_only, converse_answer(KITE_FACTS)]) as server:
        found = _backend(server).enrich(kite)
    assert len(server.requests) == 2
    assert found.entities.parties[0] == "Kite Pharma, Inc."


def test_a_hallucinated_party_is_flagged(kite: ExtractionResult) -> None:
    invented = {**KITE_FACTS, "parties": [*KITE_FACTS["parties"], "Umbrella Corporation"]}
    with model_server([converse_answer(invented)]) as server:
        found = _backend(server).enrich(kite)
    assert found.entities.parties[2] == "Umbrella Corporation"
    assert found.ungrounded == ["parties[2]"]


def test_a_long_document_is_chunked_and_merged() -> None:
    first = "Agreement between Kite Pharma, Inc. and Gilead Sciences, Inc. " * 20
    second = "Effective as of February 10, 2017. Governed by the laws of California. " * 20
    text = first + "\n\n" + second
    answers = [
        converse_answer(
            document_facts(
                document_type="services",
                type_confidence=0.4,
                parties=["Kite Pharma, Inc.", "Gilead Sciences, Inc."],
                summary="The parties.",
            )
        ),
        converse_answer(
            document_facts(
                document_type="nda",
                type_confidence=0.9,
                parties=["KITE PHARMA INC"],
                effective_date="2017-02-10",
                jurisdiction="California",
                summary="The date and the law.",
            )
        ),
    ]
    with model_server(answers) as server:
        found = _backend(server, enrich_chunk_chars=1500).enrich(_text(text))
    prompts = [r.body["messages"][0]["content"][0]["text"] for r in server.requests]
    assert len(prompts) == 2
    assert prompts[0].startswith("This is part 1 of 2")
    assert "Kite Pharma" in prompts[0]
    assert "Governed by the laws" in prompts[1]
    assert found.classification.type == "nda"
    assert found.entities.parties == ["Kite Pharma, Inc.", "Gilead Sciences, Inc."]
    assert str(found.entities.effective_date) == "2017-02-10"
    assert found.summary == "The parties. The date and the law."
    assert found.cost.units == {"input_tokens": 2000, "output_tokens": 400}
    assert found.ungrounded == []


def test_no_region_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    with pytest.raises(BedrockRegionError, match="DOCFLOW_ENRICH_BEDROCK_REGION"):
        backend_from_settings(EnrichSettings(enrich_backend="bedrock"))


def test_the_attempts_setting_reaches_the_sdk(kite: ExtractionResult) -> None:
    with (
        model_server([aws_error("ThrottlingException", 429)]) as server,
        pytest.raises(ModelThrottledError),
    ):
        _backend(server, enrich_model_max_attempts=3).enrich(kite)
    assert len(server.requests) == 3
