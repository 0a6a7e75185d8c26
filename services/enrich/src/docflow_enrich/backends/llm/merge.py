"""One answer from the answers of a document's chunks (map, then this reduce).

The rules are deterministic, so that the same chunk answers always give the same record:

- type: the one answered with the highest confidence (the earliest chunk on a tie);
- parties, dates, amounts: the union, in order of first appearance, each party once however
  it is spelled (case, punctuation, "&"/"and", legal form spellings aside);
- effective date: the earliest any chunk names;
- jurisdiction, term, issuer, invoice number, issue date: the first chunk's that names one
  (an agreement's preamble and an invoice's header come first);
- total: the last chunk's that names one (a total closes an invoice);
- summary: the chunks' summaries in order, cut at a sentence end to :data:`MAX_SUMMARY_CHARS`.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Final, TypeVar

from docflow_enrich.backends.llm.answer import AnswerAmount, ModelAnswer
from docflow_text.names import clean_name, same_party

MAX_SUMMARY_CHARS: Final = 1500

_T = TypeVar("_T")


def merge(answers: Sequence[ModelAnswer]) -> ModelAnswer:
    """The document's answer; ``answers`` are its chunks' answers in reading order."""
    if len(answers) == 1:
        return answers[0]
    typed = max(answers, key=lambda a: a.type_confidence)  # max keeps the first of equals
    return ModelAnswer(
        document_type=typed.document_type,
        type_confidence=typed.type_confidence,
        parties=_parties(p for a in answers for p in a.parties),
        effective_date=min(_present(a.effective_date for a in answers), default=None),
        dates=sorted({d for a in answers for d in a.dates}),
        amounts=_amounts(m for a in answers for m in a.amounts),
        jurisdiction=_first(a.jurisdiction for a in answers),
        term=_first(a.term for a in answers),
        issuer=_first(a.issuer for a in answers),
        invoice_number=_first(a.invoice_number for a in answers),
        issue_date=_first(a.issue_date for a in answers),
        total=_first(a.total for a in reversed(answers)),
        summary=_summary(a.summary for a in answers),
    )


def _parties(names: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for name in names:
        if not any(same_party(clean_name(name), clean_name(k)) for k in kept):
            kept.append(name)
    return kept


def _amounts(amounts: Iterable[AnswerAmount]) -> list[AnswerAmount]:
    return _unique(amounts, key=lambda m: (m.value, m.currency))


def _unique(items: Iterable[_T], key: Callable[[_T], object]) -> list[_T]:
    seen: set[object] = set()
    kept = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def _present(values: Iterable[date | None]) -> list[date]:
    return [v for v in values if v is not None]


def _first(values: Iterable[_T | None]) -> _T | None:
    return next((v for v in values if v is not None), None)


def _summary(summaries: Iterable[str]) -> str:
    joined = " ".join(s.strip() for s in summaries if s.strip())
    if len(joined) <= MAX_SUMMARY_CHARS:
        return joined
    cut = joined.rfind(". ", 0, MAX_SUMMARY_CHARS)
    return joined[: cut + 1] if cut > 0 else joined[:MAX_SUMMARY_CHARS]
