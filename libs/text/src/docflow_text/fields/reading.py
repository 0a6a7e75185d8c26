"""Each field's best candidate and the scorer's confidence in it.

Both stages read fields this one way: validate, to send a document whose fields the scorer
doubts to review; enrich, to report them. A field the model file has no ensemble for is not
read here, and its rule answers alone.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from docflow_text.fields.candidate import Candidate, Document, FieldValue
from docflow_text.fields.issue_dates import date_candidates
from docflow_text.fields.issuers import issuer_candidates, rule_is_sure
from docflow_text.fields.layout import PageLike, TextLine, document_lines
from docflow_text.fields.model import FieldModel, ScorerModel, load_model
from docflow_text.fields.totals import total_candidates

#: The candidate generator of each field the scorer reads.
GENERATORS: dict[str, Callable[[Document], list[Candidate]]] = {
    "issuer": issuer_candidates,
    "issue_date": date_candidates,
    "total": total_candidates,
}
#: Whether a field's hand rule has an answer worth falling back on, from the candidates; a
#: field not listed always falls back on its rule below the bar.
RULE_IS_SURE: dict[str, Callable[[list[Candidate]], bool]] = {"issuer": rule_is_sure}


@dataclass(frozen=True)
class FieldReading:
    """A field's best candidate; ``trusted`` when the confidence reaches the model's bar, or
    when the field's rule has no answer worth falling back on."""

    value: FieldValue
    confidence: float
    trusted: bool
    #: The line the value was first read on, when known.
    context: str | None = None


@cache
def packaged_model() -> ScorerModel | None:
    """The scorer the package ships, read once per process."""
    return load_model()


def packaged_field(name: str) -> FieldModel | None:
    """The packaged scorer's ensemble for ``name``; None without one."""
    scorer = packaged_model()
    return scorer.fields.get(name) if scorer else None


def candidates(lines: list[TextLine]) -> dict[str, list[Candidate]]:
    """Every field's candidates in ``lines``, each in a stable order."""
    document = Document.of(lines)
    return {name: generate(document) for name, generate in GENERATORS.items()}


def read_fields(
    pages: Sequence[PageLike], model: ScorerModel | None = None
) -> dict[str, FieldReading | None]:
    """Each modelled field's reading in ``pages`` (None where it has no candidate); the
    packaged model unless ``model`` is given; empty when there is no model at all."""
    return read_lines(document_lines(pages), model)


def read_lines(
    lines: list[TextLine], model: ScorerModel | None = None
) -> dict[str, FieldReading | None]:
    scorer = model or packaged_model()
    if scorer is None:
        return {}
    found = candidates(lines)
    return {
        name: best(found[name], field_model, lines, rule_sure=rule_is_sure_for(name, found[name]))
        for name, field_model in scorer.fields.items()
        if name in found
    }


def rule_is_sure_for(name: str, found: list[Candidate]) -> bool:
    judge = RULE_IS_SURE.get(name)
    return judge(found) if judge else True


def best(
    found: list[Candidate],
    model: FieldModel,
    lines: list[TextLine] | None = None,
    *,
    rule_sure: bool = True,
) -> FieldReading | None:
    """The candidate the model scores highest (the first of equals), or None for none;
    trusted at or above the model's bar, or below it when the rule is not ``rule_sure``."""
    if not found:
        return None
    scored = [(model.probability(candidate.features), candidate) for candidate in found]
    confidence, top = max(scored, key=lambda pair: pair[0])
    context = lines[top.lines[0]].text if lines and top.lines else None
    trusted = confidence >= model.min_confidence or not rule_sure
    return FieldReading(top.value, round(confidence, 4), trusted, context)
