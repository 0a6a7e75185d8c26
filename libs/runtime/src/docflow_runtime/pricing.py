"""What a backend's work costs: billable units priced from a table.

A backend counts what its provider bills (Textract pages by feature, model tokens) as named
units and asks :func:`priced` for the :class:`~docflow_events.v1.Cost` it reports. Prices are
US dollars per unit, keyed ``backend/unit`` or, for model-priced units, ``backend/model/unit``.
The defaults are the providers' public on-demand prices in us-east-1 when this table was
written; ``DOCFLOW_PRICES`` (a JSON object of the same keys) overrides or adds entries, for
another region, a negotiated rate or a model not listed here.
"""

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import structlog
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from docflow_events.v1 import Cost

log = structlog.get_logger(__name__)

_PER_MILLION: Final = 1e-6
#: USD per unit. Sources: aws.amazon.com/textract/pricing and aws.amazon.com/bedrock/pricing
#: (on-demand, us-east-1, first price tier).
DEFAULT_PRICES: Final[Mapping[str, float]] = MappingProxyType(
    {
        # Textract, per page
        "textract/text_pages": 0.0015,
        "textract/forms_pages": 0.05,
        "textract/tables_pages": 0.015,
        "textract/expense_pages": 0.01,
        # Bedrock, per token
        "bedrock/anthropic.claude-3-haiku-20240307-v1:0/input_tokens": 0.25 * _PER_MILLION,
        "bedrock/anthropic.claude-3-haiku-20240307-v1:0/output_tokens": 1.25 * _PER_MILLION,
        "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0/input_tokens": 0.8 * _PER_MILLION,
        "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0/output_tokens": 4.0 * _PER_MILLION,
        "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0/input_tokens": 1.0 * _PER_MILLION,
        "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0/output_tokens": 5.0 * _PER_MILLION,
        "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0/input_tokens": 3.0 * _PER_MILLION,
        "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0/output_tokens": 15.0 * _PER_MILLION,
        "bedrock/amazon.nova-micro-v1:0/input_tokens": 0.035 * _PER_MILLION,
        "bedrock/amazon.nova-micro-v1:0/output_tokens": 0.14 * _PER_MILLION,
        "bedrock/amazon.nova-lite-v1:0/input_tokens": 0.06 * _PER_MILLION,
        "bedrock/amazon.nova-lite-v1:0/output_tokens": 0.24 * _PER_MILLION,
        "bedrock/amazon.nova-pro-v1:0/input_tokens": 0.8 * _PER_MILLION,
        "bedrock/amazon.nova-pro-v1:0/output_tokens": 3.2 * _PER_MILLION,
    }
)
#: Bedrock's cross-region inference profiles (``us.``, ``eu.``, ``apac.``, ``global.``) are
#: priced as the model they route to.
_INFERENCE_PROFILE_PREFIXES: Final = ("us.", "eu.", "apac.", "global.")


class PricingSettings(BaseSettings):
    """Mixed into the settings of services whose backends cost money (extract, enrich)."""

    model_config = SettingsConfigDict(
        env_prefix="DOCFLOW_", extra="ignore", hide_input_in_errors=True
    )

    prices: dict[str, float] = Field(
        default_factory=dict,
        description='USD per unit over the defaults, as a JSON object: {"textract/forms_pages": '
        '0.05, "openai/my-model/input_tokens": 0.0000002}',
    )

    @field_validator("prices")
    @classmethod
    def _finite_and_not_negative(cls, value: dict[str, float]) -> dict[str, float]:
        bad = sorted(key for key, price in value.items() if not math.isfinite(price) or price < 0)
        if bad:
            raise ValueError(f"prices must be finite and not negative: {', '.join(bad)}")
        return value

    def price_table(self) -> Mapping[str, float]:
        return MappingProxyType({**DEFAULT_PRICES, **self.prices})


def priced(
    backend: str,
    units: Mapping[str, float],
    prices: Mapping[str, float],
    *,
    model: str | None = None,
) -> Cost:
    """The cost of ``units`` of ``backend``'s work (with ``model``, the model's prices).

    A unit without a price costs nothing and is logged: the units still reach the record, so
    the document can be priced later.
    """
    usd = 0.0
    for unit, amount in units.items():
        price = _price(prices, backend, model, unit)
        if price is None:
            log.warning("no price for a billable unit", backend=backend, model=model, unit=unit)
            continue
        usd += amount * price
    return Cost(backend=backend, usd=round(usd, 8), units=dict(units), model=model)


def _price(prices: Mapping[str, float], backend: str, model: str | None, unit: str) -> float | None:
    if model is None:
        return prices.get(f"{backend}/{unit}")
    for name in (model, _base_model(model)):
        price = prices.get(f"{backend}/{name}/{unit}")
        if price is not None:
            return price
    return None


def _base_model(model: str) -> str:
    for prefix in _INFERENCE_PROFILE_PREFIXES:
        if model.startswith(prefix):
            return model.removeprefix(prefix)
    return model
