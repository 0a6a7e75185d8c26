"""An agreement's effective date as the committed scorer reads it (``make train`` writes it)."""

from datetime import date

import pytest

from docflow_enrich.scoring import scored_effective_date
from docflow_text.fields import reading
from docflow_text.fields.effective_dates import FIELD

_BODY = " ".join(
    ["The Recipient shall hold the Confidential Information in confidence and use it only"
     " to evaluate the Transaction."] * 40
)  # fmt: skip


@pytest.fixture(autouse=True)
def _committed_model() -> None:
    model = reading.packaged_model()
    assert model is not None
    assert FIELD in model.fields, "make train writes the effective date's ensemble"


def test_the_opening_s_effective_date_is_read() -> None:
    text = (
        'MUTUAL NONDISCLOSURE AGREEMENT This Mutual Nondisclosure Agreement (the "Agreement") '
        'is entered into effective as of March 3, 2015 (the "Effective Date") by and between '
        f"Acme, Inc. and Beta LLC. {_BODY} The obligations survive until December 31, 2019. "
        "IN WITNESS WHEREOF, the parties have signed this Agreement as of the Effective Date."
    )
    assert scored_effective_date(text) == date(2015, 3, 3)


def test_an_agreement_that_writes_no_date_has_none() -> None:
    text = f"CONFIDENTIALITY AGREEMENT between Acme, Inc. and Beta LLC. {_BODY}"
    assert scored_effective_date(text) is None
