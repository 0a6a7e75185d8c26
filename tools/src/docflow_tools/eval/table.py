"""The report as a table: one block per corpus, one column per part."""

from collections.abc import Callable, Iterable

from docflow_tools.eval.report import CorpusReport, PartReport, Report

_LABEL = 34
_COLUMN = 20


def render(report: Report) -> str:
    return "\n\n".join(_block(corpus) for corpus in report.corpora)


def _block(corpus: CorpusReport) -> str:
    parts = list(corpus.parts.values())
    heads = [f"{name} ({part.documents})" for name, part in corpus.parts.items()]
    lines = [f"{corpus.corpus:<{_LABEL}}" + "".join(f"{h:>{_COLUMN}}" for h in heads)]
    if all(part.f1 is not None for part in parts):
        lines.append("  Kleister F1 (benchmark rule)")
        for key in parts[0].f1 or {}:
            lines.append(_label(f"    {key}") + _cells(_pct(_f1(p, key)) for p in parts))
    lines.append("  fields right (right/scored)")
    for field in parts[0].fields:
        lines.append(_label(f"    {field}") + _cells(_tally(p, field) for p in parts))
    lines.append("  routing")
    lines += [
        _row("    straight through (stored)", parts, lambda p: _pct(p.routing.straight_through)),
        _row("    sent to review", parts, lambda p: str(p.routing.review)),
        _row("    failed in a stage", parts, lambda p: str(p.routing.failed)),
        _row("    review: with a wrong field", parts,
             lambda p: _pct(p.routing.review_with_wrong_field)),
        _row("    stored: with a wrong field", parts,
             lambda p: _pct(p.routing.stored_with_wrong_field)),
        _row("  seconds per document", parts, _per_document),
    ]  # fmt: skip
    return "\n".join(lines)


def _row(label: str, parts: list[PartReport], cell: Callable[[PartReport], str]) -> str:
    return _label(label) + _cells(cell(part) for part in parts)


def _label(text: str) -> str:
    return f"{text:<{_LABEL}}"


def _cells(texts: Iterable[str]) -> str:
    return "".join(f"{text:>{_COLUMN}}" for text in texts)


def _f1(part: PartReport, key: str) -> float | None:
    return part.f1[key].f1 if part.f1 else None


def _tally(part: PartReport, field: str) -> str:
    tally = part.fields[field]
    return f"{_pct(tally.share)} {tally.right}/{tally.scored}"


def _per_document(part: PartReport) -> str:
    return f"{part.seconds / part.documents:.2f}" if part.documents else "-"


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}%"
