"""What a chaos run asserts about where its documents ended: nothing lost, nothing stuck,
nothing twice, and no failure but those it caused."""

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from docflow_events.topics import StageName
from docflow_events.v1 import DocumentStored
from docflow_results.models import DocumentStatus
from docflow_tools.chaos.client import Decision
from docflow_tools.chaos.dead_letters import DeadLetter
from docflow_tools.chaos.documents import Kind
from docflow_tools.chaos.faults import EnrichFaultSettings, FaultKind, enrich_fault
from docflow_tools.chaos.faulty_enrich import InjectedEnrichmentFailure
from docflow_tools.chaos.injector import Injected
from docflow_tools.chaos.observe import SETTLED, Observed
from docflow_tools.chaos.receiver import Delivery
from docflow_tools.chaos.uploads import Upload

NOTICE_OF: Final = {
    DocumentStatus.STORED: "document.stored",
    DocumentStatus.FAILED: "document.failed",
    DocumentStatus.REJECTED: "document.rejected",
}
INJECTED_FAILURE: Final = InjectedEnrichmentFailure.__qualname__
_INJECTED_LETTER: Final = (StageName.ENRICH, INJECTED_FAILURE, True)


@dataclass(frozen=True)
class Outcome:
    """Everything a chaos run did and saw."""

    uploads: Sequence[Upload]
    decided: dict[str, Decision]
    faults: EnrichFaultSettings
    observed: Observed
    deliveries: Sequence[Delivery]
    dead_letters: Sequence[DeadLetter]
    injected: Sequence[Injected]
    #: ``make run``'s exit status at each stop, and at an exit nobody asked for.
    run_exits: Sequence[int]
    unexpected_exit: int | None
    halted: str | None
    left_behind: Sequence[int]

    @cached_property
    def accepted(self) -> dict[str, Upload]:
        return {u.document_id: u for u in self.uploads if u.document_id is not None}

    def status(self, document_id: str) -> str | None:
        document = self.observed.documents.get(document_id)
        return None if document is None else str(document["status"])

    @cached_property
    def expected_failures(self) -> frozenset[str]:
        """The documents made to fail for good that reached enrich: every memo, and invoices
        a reviewer approved."""
        return frozenset(
            document_id
            for document_id, upload in self.accepted.items()
            if enrich_fault(document_id, self.faults).kind is FaultKind.PERMANENT
            and (upload.document.kind is Kind.MEMO or self.decided.get(document_id) == "approve")
        )


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    summary: str
    problems: tuple[str, ...] = ()


def check(outcome: Outcome) -> list[Check]:
    return [rule(outcome) for rule in CHECKS]


def nothing_lost_or_stuck(o: Outcome) -> Check:
    counts = Counter(o.status(i) for i in o.accepted)
    equation = " + ".join(f"{status} {counts[status]}" for status in SETTLED)
    problems = [describe(o, i) for i in o.accepted if o.status(i) not in SETTLED]
    summary = f"accepted {len(o.accepted)} = {equation}"
    return _check("nothing lost, nothing stuck", summary, problems)


def no_unexpected_documents(o: Outcome) -> Check:
    strangers = sorted(o.observed.listed - set(o.accepted))
    problems = [describe(o, i) for i in strangers]
    return _check("no unexpected documents", f"{len(o.observed.listed)} listed", problems)


def every_upload_accepted(o: Outcome) -> Check:
    refused = [u for u in o.uploads if u.document_id is None]
    retried = sum(1 for u in o.uploads if u.attempts > 1)
    problems = [
        f"{u.document.name}: last answer {u.status or u.error} after {u.attempts} attempt(s)"
        for u in refused
    ]
    summary = f"{len(o.uploads) - len(refused)} of {len(o.uploads)}, {retried} after retries"
    return _check("every upload accepted", summary, problems)


def reviews_followed(o: Outcome) -> Check:
    problems = []
    for document_id, decision in o.decided.items():
        wanted = _after_review(o, document_id, decision)
        if o.status(document_id) != wanted:
            problems.append(f"{decision}d, expected {wanted}: {describe(o, document_id)}")
    undecided = [i for i in o.accepted if i not in o.decided and o.status(i) == "needs_review"]
    problems += [f"never decided: {describe(o, i)}" for i in undecided]
    approved = sum(1 for d in o.decided.values() if d == "approve")
    summary = f"{approved} approved, {len(o.decided) - approved} rejected"
    return _check("decided reviews end as decided", summary, problems)


def one_record_each(o: Outcome) -> Check:
    problems = []
    for document_id in o.accepted:
        document = o.observed.documents.get(document_id) or {}
        stored = _stored_events(o, document_id, document.get("run", 1))
        is_stored = document.get("status") == DocumentStatus.STORED
        if stored != (1 if is_stored else 0) or is_stored != bool(document.get("result")):
            problems.append(f"{stored} document.stored event(s): {describe(o, document_id)}")
    stored_count = sum(1 for i in o.accepted if o.status(i) == DocumentStatus.STORED)
    return _check("one record per stored document", f"{stored_count} stored", problems)


def one_notice_each(o: Outcome) -> Check:
    by_document: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in o.deliveries:
        by_document[delivery.document_id].append(delivery)
    strangers = sorted(set(by_document) - set(o.accepted))
    problems = [f"notices for a document not accepted: {i}" for i in strangers]
    for document_id, upload in o.accepted.items():
        problems += _notice_problems(o, document_id, upload, by_document.get(document_id, []))
    distinct = len({d.webhook_id for d in o.deliveries})
    summary = (
        f"{distinct} notices, {len(o.deliveries)} deliveries "
        f"({len(o.deliveries) - distinct} repeats of an id, dropped by receivers)"
    )
    return _check("one webhook per final document", summary, problems)


def failures_are_injected(o: Outcome) -> Check:
    expected = o.expected_failures
    failed = {i for i in o.accepted if o.status(i) == DocumentStatus.FAILED}
    problems = [f"not made to fail: {describe(o, i)}" for i in sorted(failed - expected)]
    problems += [f"made to fail, did not: {describe(o, i)}" for i in sorted(expected - failed)]
    for document_id in sorted(failed & expected):
        error = o.observed.documents[document_id].get("error") or {}
        if (error.get("stage"), error.get("error_class")) != (StageName.ENRICH, INJECTED_FAILURE):
            problems.append(f"failed otherwise: {describe(o, document_id)}")
    summary = f"{len(failed)} failed, {len(expected)} made to fail in enrich"
    return _check("failed = made to fail for good", summary, problems)


def dead_letters_are_injected(o: Outcome) -> Check:
    expected = o.expected_failures
    problems = [
        f"{letter.stage}: {letter.document_id} {letter.error_class} permanent={letter.permanent}"
        for letter in o.dead_letters
        if (letter.stage, letter.error_class, letter.permanent) != _INJECTED_LETTER
        or letter.document_id not in expected
    ]
    seen = {letter.document_id for letter in o.dead_letters}
    summary = (
        f"{len(o.dead_letters)} seen, of {len(seen)} documents; {len(seen & expected)} of the "
        f"{len(expected)} made to fail (a killed broker forgets its dead letters)"
    )
    return _check("dead letters only of those made to fail", summary, problems)


def make_run_behaved(o: Outcome) -> Check:
    problems = [f"stopped with status {code}" for code in o.run_exits if code != 0]
    if o.unexpected_exit is not None:
        problems.append(f"exited by itself with status {o.unexpected_exit}")
    if o.halted is not None:
        problems.append(f"halted the pipeline: {o.halted}")
    summary = f"stopped {len(o.run_exits)} time(s): {', '.join(map(str, o.run_exits)) or '-'}"
    return _check("make run stopped cleanly, never halted", summary, problems)


def faults_carried_out(o: Outcome) -> Check:
    failed = [i for i in o.injected if not i.done]
    problems = [f"{i.action} {i.target} at {i.at:.0f} s: {i.detail}" for i in failed]
    counts = Counter(i.action.value for i in o.injected if i.done)
    summary = ", ".join(f"{action} {n}" for action, n in sorted(counts.items())) or "none"
    return _check("faults injected", summary, problems)


def nothing_left_behind(o: Outcome) -> Check:
    problems = [f"pid {pid}" for pid in o.left_behind]
    return _check("no process left behind", f"{len(o.left_behind)} left", problems)


CHECKS: Final[tuple[Callable[[Outcome], Check], ...]] = (
    nothing_lost_or_stuck,
    no_unexpected_documents,
    every_upload_accepted,
    reviews_followed,
    one_record_each,
    one_notice_each,
    failures_are_injected,
    dead_letters_are_injected,
    make_run_behaved,
    faults_carried_out,
    nothing_left_behind,
)


def describe(o: Outcome, document_id: str) -> str:
    """A document as a problem line shows it: name, id, status, error and timeline."""
    upload = o.accepted.get(document_id)
    document = o.observed.documents.get(document_id)
    name = upload.document.name if upload else "?"
    if document is None:
        return f"{name} {document_id}: missing"
    steps = ", ".join(_step(entry) for entry in o.observed.timelines.get(document_id, []))
    error = document.get("error") or {}
    failed = f" ({error.get('stage')}: {error.get('error_class')})" if error else ""
    return f"{name} {document_id}: {document['status']}{failed}; timeline: {steps}"


def _after_review(o: Outcome, document_id: str, decision: Decision) -> str:
    if decision == "reject":
        return DocumentStatus.REJECTED
    return DocumentStatus.FAILED if document_id in o.expected_failures else DocumentStatus.STORED


def _stored_events(o: Outcome, document_id: str, run: int) -> int:
    return sum(
        1
        for entry in o.observed.timelines.get(document_id, [])
        if entry["event_type"] == DocumentStored.event_type and entry["run"] == run
    )


def _notice_problems(
    o: Outcome, document_id: str, upload: Upload, deliveries: list[Delivery]
) -> list[str]:
    status = o.status(document_id)
    wanted = NOTICE_OF.get(DocumentStatus(status)) if status else None
    notices = {(d.webhook_id, d.type) for d in deliveries}
    problems = []
    if [kind for _, kind in notices] != ([wanted] if wanted else []):
        kinds = ", ".join(sorted(kind for _, kind in notices)) or "none"
        problems.append(f"notices {kinds}: {describe(o, document_id)}")
    if any(not d.signed or d.name != upload.document.name for d in deliveries):
        problems.append(f"unsigned or misnamed notice: {describe(o, document_id)}")
    return problems


def _step(entry: dict[str, Any]) -> str:
    kind = str(entry["event_type"]).removeprefix("io.docflow.").removesuffix(".v1")
    return f"{kind}->{entry['status']}" if entry.get("status") else kind


def _check(name: str, summary: str, problems: Sequence[str]) -> Check:
    return Check(name, not problems, summary, tuple(problems))
