"""The OpenAI-compatible backend over the wire: the real httpx client against a loopback
server that speaks chat completions (``POST {base_url}/chat/completions``)."""

import json
import time

import pytest

from docflow_enrich.__main__ import main
from docflow_enrich.backends import MissingModelSettingError, backend_from_settings
from docflow_enrich.backends.llm import (
    LlmBackend,
    ModelAccessError,
    ModelThrottledError,
    ModelUnavailableError,
    UnusableAnswerError,
)
from docflow_enrich.backends.llm.answer import answer_schema
from docflow_enrich.settings import EnrichSettings
from docflow_events.v1.results import ExtractionResult
from docflow_runtime.errors import TransientError
from docflow_testing.llm_servers import (
    ModelServer,
    chat_answer,
    chat_echo,
    document_facts,
    http_error,
    model_server,
)
from docflow_testing.samples import read_pdf, sample

MODEL = "qwen2.5-7b-instruct"
API_KEY = "sk-test-4f1c9e"
KITE_NDA = "kleister-nda/031470434423a8c40105a4b404ced88b.pdf"
KITE_FACTS = document_facts(
    document_type="nda",
    type_confidence=0.9,
    parties=["Kite Pharma, Inc.", "Gilead Sciences, Inc."],
    effective_date="2017-02-10",
    jurisdiction="California",
    term="7 years",
    summary="A confidentiality agreement between Kite Pharma and Gilead Sciences.",
)
GOOD = json.dumps(KITE_FACTS)


@pytest.fixture(scope="module")
def kite() -> ExtractionResult:
    return read_pdf(sample(KITE_NDA))


def _backend(server: ModelServer, **settings: object) -> LlmBackend:
    defaults: dict[str, object] = {
        "enrich_backend": "openai",
        "enrich_openai_base_url": f"{server.url}/v1",
        "enrich_openai_model": MODEL,
        "enrich_openai_api_key": API_KEY,
        "enrich_model_max_attempts": 2,
        "enrich_model_max_retry_wait_seconds": 0.2,
    }
    backend = backend_from_settings(EnrichSettings(**{**defaults, **settings}))  # type: ignore[arg-type]
    assert isinstance(backend, LlmBackend)
    return backend


def test_a_good_answer_is_the_enrichment(kite: ExtractionResult) -> None:
    with model_server([chat_answer(GOOD)]) as server:
        backend = _backend(server)
        found = backend.enrich(kite, hint="nda")
        backend.close()
    assert found.classification.type == "nda"
    assert found.entities.parties == ["Kite Pharma, Inc.", "Gilead Sciences, Inc."]
    assert found.entities.term == "7 years"
    assert found.ungrounded == []
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == MODEL
    assert request.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "record_document_facts", "strict": True, "schema": answer_schema()},
    }
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]
    assert "type: nda" in request.body["messages"][1]["content"]


def test_no_key_sends_no_authorization(kite: ExtractionResult) -> None:
    with model_server([chat_answer(GOOD)]) as server:
        _backend(server, enrich_openai_api_key=None).enrich(kite)
    assert "Authorization" not in server.requests[0].headers


def test_a_self_hosted_model_costs_nothing_but_records_its_tokens(kite: ExtractionResult) -> None:
    with model_server([chat_answer(GOOD, prompt_tokens=3900, completion_tokens=150)]) as server:
        found = _backend(server).enrich(kite)
    assert found.cost.backend == "openai"
    assert found.cost.model == MODEL
    assert found.cost.units == {"input_tokens": 3900, "output_tokens": 150}
    assert found.cost.usd == 0.0


def test_a_configured_price_is_applied(kite: ExtractionResult) -> None:
    prices = {f"openai/{MODEL}/input_tokens": 1e-6, f"openai/{MODEL}/output_tokens": 2e-6}
    with model_server([chat_answer(GOOD, prompt_tokens=3900, completion_tokens=150)]) as server:
        found = _backend(server, prices=prices).enrich(kite)
    assert found.cost.usd == pytest.approx(3900e-6 + 300e-6)


def test_usage_echoed_from_the_request_reaches_the_cost(kite: ExtractionResult) -> None:
    with model_server([chat_echo(GOOD)]) as server:
        found = _backend(server).enrich(kite)
    sent = json.dumps(
        [server.requests[0].body["messages"], server.requests[0].body["response_format"]]
    )
    assert found.cost.units == {"input_tokens": len(sent) // 4, "output_tokens": len(GOOD) // 4}


def test_throttling_then_success_waits_what_the_server_asks(kite: ExtractionResult) -> None:
    script = [http_error(429, retry_after="1"), chat_answer(GOOD)]
    started = time.monotonic()
    with model_server(script) as server:
        found = _backend(server, enrich_model_max_retry_wait_seconds=5).enrich(kite)
    assert time.monotonic() - started >= 1.0
    assert len(server.requests) == 2
    assert found.entities.jurisdiction == "California"


def test_throttling_past_the_retries_is_transient(kite: ExtractionResult) -> None:
    with (
        model_server([http_error(429, retry_after="0")]) as server,
        pytest.raises(ModelThrottledError) as caught,
    ):
        _backend(server, enrich_model_max_attempts=3).enrich(kite)
    assert isinstance(caught.value, TransientError)
    assert caught.value.retry_after == 0.0
    assert len(server.requests) == 3


def test_an_unavailable_server_is_transient(kite: ExtractionResult) -> None:
    with model_server([http_error(503)]) as server, pytest.raises(ModelUnavailableError):
        _backend(server).enrich(kite)
    assert len(server.requests) == 2


def test_a_server_that_is_gone_is_transient(kite: ExtractionResult) -> None:
    with model_server([chat_answer(GOOD)]) as server:
        backend = _backend(server, enrich_model_max_attempts=1)
    with pytest.raises(ModelUnavailableError, match="did not answer"):
        backend.enrich(kite)


def test_a_refused_key_is_transient_and_never_shown(
    kite: ExtractionResult, capsys: pytest.CaptureFixture[str]
) -> None:
    with model_server([http_error(401)]) as server, pytest.raises(ModelAccessError) as caught:
        _backend(server).enrich(kite)
    assert isinstance(caught.value, TransientError)
    assert len(server.requests) == 1
    shown = capsys.readouterr()
    assert "DOCFLOW_ENRICH_OPENAI_API_KEY" in shown.out + shown.err
    assert API_KEY not in str(caught.value) + shown.out + shown.err


def test_a_refused_request_makes_the_answer_unusable(kite: ExtractionResult) -> None:
    with (
        model_server([http_error(400)]) as server,
        pytest.raises(UnusableAnswerError, match="HTTP 400"),
    ):
        _backend(server).enrich(kite)
    assert len(server.requests) == 1


def test_a_truncated_answer_is_retried_once_then_unusable(kite: ExtractionResult) -> None:
    cut = chat_answer(GOOD[:100], finish_reason="length", completion_tokens=2048)
    with model_server([cut]) as server, pytest.raises(UnusableAnswerError) as caught:
        _backend(server).enrich(kite)
    assert [r.body["max_tokens"] for r in server.requests] == [2048, 4096]
    assert caught.value.cost.units == {"input_tokens": 2000, "output_tokens": 4096}


def test_a_truncated_answer_then_a_whole_one_succeeds(kite: ExtractionResult) -> None:
    cut = chat_answer(GOOD[:100], finish_reason="length")
    with model_server([cut, chat_answer(GOOD)]) as server:
        found = _backend(server).enrich(kite)
    assert len(server.requests) == 2
    assert found.entities.parties[1] == "Gilead Sciences, Inc."


def test_invalid_json_is_retried_once(kite: ExtractionResult) -> None:
    with model_server([chat_answer("{'parties': [Kite"), chat_answer(GOOD)]) as server:
        found = _backend(server).enrich(kite)
    assert len(server.requests) == 2
    assert found.classification.type == "nda"


def test_invalid_json_twice_is_unusable(kite: ExtractionResult) -> None:
    with (
        model_server([chat_answer("Here is the JSON you asked for:")]) as server,
        pytest.raises(UnusableAnswerError, match="not JSON"),
    ):
        _backend(server).enrich(kite)
    assert len(server.requests) == 2


def test_a_hallucinated_party_is_flagged(kite: ExtractionResult) -> None:
    invented = {**KITE_FACTS, "parties": ["Kite Pharma, Inc.", "Initech LLC"], "term": "3 years"}
    with model_server([chat_answer(json.dumps(invented))]) as server:
        found = _backend(server).enrich(kite)
    assert found.ungrounded == ["parties[1]", "term"]


def test_the_base_url_and_model_are_required(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MissingModelSettingError, match="DOCFLOW_ENRICH_OPENAI_BASE_URL"):
        backend_from_settings(EnrichSettings(enrich_backend="openai", enrich_openai_model=MODEL))
    with pytest.raises(MissingModelSettingError, match="DOCFLOW_ENRICH_OPENAI_MODEL"):
        backend_from_settings(
            EnrichSettings(enrich_backend="openai", enrich_openai_base_url="http://127.0.0.1:1/v1")
        )
    with pytest.raises(MissingModelSettingError, match="http"):
        backend_from_settings(
            EnrichSettings(
                enrich_backend="openai",
                enrich_openai_base_url="127.0.0.1:1",
                enrich_openai_model=MODEL,
            )
        )


def test_the_service_exits_with_the_missing_setting_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCFLOW_ENRICH_BACKEND", "openai")
    monkeypatch.setenv("DOCFLOW_ENRICH_OPENAI_API_KEY", API_KEY)
    assert main() == 2
    err = capsys.readouterr().err
    assert "DOCFLOW_ENRICH_OPENAI_BASE_URL" in err
    assert API_KEY not in err


def test_a_long_document_is_asked_in_parts_and_merged(kite: ExtractionResult) -> None:
    script = [
        chat_answer(json.dumps(document_facts(parties=["Kite Pharma, Inc."], summary="One."))),
        chat_answer(json.dumps(KITE_FACTS)),
    ]
    with model_server(script) as server:
        found = _backend(server, enrich_chunk_chars=9000).enrich(kite)
    parts = [r.body["messages"][1]["content"] for r in server.requests]
    assert [p.split(".")[0] for p in parts] == [
        "This is part 1 of 2 of the document",
        "This is part 2 of 2 of the document",
    ]
    assert "".join(p.split("<document>\n")[1].removesuffix("\n</document>") for p in parts) == (
        kite.text
    )
    assert found.entities.parties == ["Kite Pharma, Inc.", "Gilead Sciences, Inc."]
    assert found.classification.type == "nda"
    assert found.summary.startswith("One. A confidentiality agreement")
    assert found.cost.units == {"input_tokens": 2000, "output_tokens": 400}


def test_no_more_chunks_than_allowed_are_sent(kite: ExtractionResult) -> None:
    with model_server([chat_answer(GOOD)]) as server:
        _backend(server, enrich_chunk_chars=3000, enrich_max_chunks=2).enrich(kite)
    assert len(server.requests) == 2
    assert "part 2 of 2" in server.requests[1].body["messages"][1]["content"]
