import pytest
from pydantic import ValidationError

from docflow_runtime.pricing import DEFAULT_PRICES, PricingSettings, priced

HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0"


def test_pages_are_priced_by_feature() -> None:
    cost = priced("textract", {"forms_pages": 5, "tables_pages": 5}, DEFAULT_PRICES)
    assert cost.usd == pytest.approx(5 * 0.05 + 5 * 0.015)
    assert cost.units == {"forms_pages": 5, "tables_pages": 5}
    assert cost.backend == "textract"
    assert cost.model is None


def test_tokens_are_priced_by_model() -> None:
    cost = priced("bedrock", {"input_tokens": 10_000, "output_tokens": 500}, DEFAULT_PRICES,
                  model=HAIKU)  # fmt: skip
    assert cost.usd == pytest.approx(10_000 * 0.8e-6 + 500 * 4e-6)
    assert cost.model == HAIKU


def test_a_cross_region_profile_costs_what_its_model_costs() -> None:
    units = {"input_tokens": 1000, "output_tokens": 100}
    direct = priced("bedrock", units, DEFAULT_PRICES, model=HAIKU)
    profile = priced("bedrock", units, DEFAULT_PRICES, model=f"us.{HAIKU}")
    assert profile.usd == direct.usd > 0


def test_an_unpriced_unit_costs_nothing_but_is_kept() -> None:
    cost = priced("openai", {"input_tokens": 1200}, DEFAULT_PRICES, model="llama3.1:8b")
    assert cost.usd == 0
    assert cost.units == {"input_tokens": 1200}


def test_configured_prices_override_and_add(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "DOCFLOW_PRICES", '{"textract/forms_pages": 0.04, "openai/llama3.1:8b/input_tokens": 1e-7}'
    )
    table = PricingSettings().price_table()
    assert priced("textract", {"forms_pages": 10}, table).usd == pytest.approx(0.4)
    assert priced("openai", {"input_tokens": 1e6}, table, model="llama3.1:8b").usd == 0.1
    assert table["textract/tables_pages"] == DEFAULT_PRICES["textract/tables_pages"]


@pytest.mark.parametrize("price", ["-1", "Infinity", "NaN"])
def test_a_price_must_be_finite_and_not_negative(
    monkeypatch: pytest.MonkeyPatch, price: str
) -> None:
    monkeypatch.setenv("DOCFLOW_PRICES", f'{{"textract/forms_pages": {price}}}')
    with pytest.raises(ValidationError, match="textract/forms_pages"):
        PricingSettings()
