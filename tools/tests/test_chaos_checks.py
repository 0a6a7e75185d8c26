"""What the chaos suite asserts, on outcomes made up here: a run where everything ended well
passes, and each way of losing, sticking or duplicating a document fails its check."""

import dataclasses
from typing import Any

import pytest

from docflow_tools.chaos.checks import INJECTED_FAILURE, Check, Outcome, check
from docflow_tools.chaos.documents import ChaosDocument, Kind
from docflow_tools.chaos.faults import EnrichFaultSettings, FaultKind, enrich_fault
from docflow_tools.chaos.observe import Observed, unsettled
from docflow_tools.chaos.receiver import Delivery
from docflow_tools.chaos.report import self_recovery
from docflow_tools.chaos.uploads import Upload

FAULTS = EnrichFaultSettings(seed=1, enrich_permanent_share=0.5)
STORED = "io.docflow.document.stored.v1"


def _id(kind: FaultKind, name: str) -> str:
    return next(
        f"{name}-{n}" for n in range(1000) if enrich_fault(f"{name}-{n}", FAULTS).kind is kind
    )


MEMO, INVOICE, DOOMED = (
    _id(FaultKind.NONE, "memo"),
    _id(FaultKind.NONE, "inv"),
    _id(FaultKind.PERMANENT, "doomed"),
)


def _upload(document_id: str, kind: Kind) -> Upload:
    document = ChaosDocument(document_id, kind, b"text")
    return Upload(document, document_id=document_id, status=202, attempts=1, accepted_at=1.0)


def _document(document_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"id": document_id, "status": status, "run": 1, "result": None, "error": None, **extra}


def _notice(document_id: str, kind: str, webhook_id: str | None = None) -> Delivery:
    return Delivery(
        webhook_id or f"{document_id}-notice", kind, document_id, document_id, True, 1.0
    )


def _good() -> Outcome:
    documents = {
        MEMO: _document(MEMO, "stored", result={"summary": "..."}),
        INVOICE: _document(INVOICE, "rejected"),
        DOOMED: _document(
            DOOMED, "failed", error={"stage": "enrich", "error_class": INJECTED_FAILURE}
        ),
    }
    timelines: dict[str, list[dict[str, Any]]] = {i: [] for i in documents}
    timelines[MEMO] = [{"event_type": STORED, "status": "stored", "run": 1}]
    return Outcome(
        uploads=[_upload(MEMO, Kind.MEMO), _upload(INVOICE, Kind.INVOICE_WITHOUT_TOTAL),
                 _upload(DOOMED, Kind.MEMO)],
        decided={INVOICE: "reject"}, faults=FAULTS,
        observed=Observed(documents, timelines, frozenset(documents)),
        deliveries=[_notice(MEMO, "document.stored"), _notice(INVOICE, "document.rejected"),
                    _notice(DOOMED, "document.failed")],
        dead_letters=[], injected=[], run_exits=[0], unexpected_exit=None, halted=None,
        left_behind=[],
    )  # fmt: skip


def _failed(outcome: Outcome) -> dict[str, Check]:
    return {c.name: c for c in check(outcome) if not c.passed}


def test_a_run_where_everything_ended_well_passes() -> None:
    assert _failed(_good()) == {}


def test_a_document_stuck_on_its_way_is_reported_with_its_timeline() -> None:
    good = _good()
    documents = good.observed.documents | {MEMO: _document(MEMO, "extracted")}
    timelines = good.observed.timelines | {
        MEMO: [
            {"event_type": "io.docflow.extraction.completed.v1", "status": "extracted", "run": 1}
        ]
    }
    stuck = dataclasses.replace(good, observed=Observed(documents, timelines, good.observed.listed))
    failed = _failed(stuck)
    assert "nothing lost, nothing stuck" in failed
    assert failed["nothing lost, nothing stuck"].problems == (
        f"{MEMO} {MEMO}: extracted; timeline: extraction.completed->extracted",
    )


def test_a_document_stored_twice_and_notified_twice_fails_both_checks() -> None:
    good = _good()
    twice = [*good.observed.timelines[MEMO], {"event_type": STORED, "status": "stored", "run": 1}]
    observed = Observed(good.observed.documents, good.observed.timelines | {MEMO: twice},
                        good.observed.listed)  # fmt: skip
    deliveries = [*good.deliveries, _notice(MEMO, "document.stored", "another-id")]
    failed = _failed(dataclasses.replace(good, observed=observed, deliveries=deliveries))
    assert set(failed) == {"one record per stored document", "one webhook per final document"}


def test_a_repeated_delivery_of_the_same_notice_is_counted_not_failed() -> None:
    good = _good()
    repeated = dataclasses.replace(good, deliveries=[*good.deliveries, good.deliveries[0]])
    notices = next(c for c in check(repeated) if c.name == "one webhook per final document")
    assert notices.passed
    assert "1 repeats" in notices.summary


def test_failures_must_be_exactly_the_injected_ones() -> None:
    good = _good()
    documents = good.observed.documents | {
        MEMO: _document(MEMO, "failed", error={"stage": "store", "error_class": "Boom"}),
        DOOMED: _document(DOOMED, "stored", result={"summary": "..."}),
    }
    observed = Observed(documents, good.observed.timelines, good.observed.listed)
    problems = _failed(dataclasses.replace(good, observed=observed))[
        "failed = made to fail for good"
    ].problems
    assert [p.split(":")[0] for p in problems] == ["not made to fail", "made to fail, did not"]


def test_a_document_nobody_posted_is_a_problem() -> None:
    good = _good()
    listed = good.observed.listed | {"stranger"}
    failed = _failed(
        dataclasses.replace(good, observed=dataclasses.replace(good.observed, listed=listed))
    )
    assert set(failed) == {"no unexpected documents"}


@pytest.mark.parametrize(
    ("status", "decided", "notified", "waiting"),
    [
        ("stored", False, True, False),
        ("stored", False, False, True),  # its webhook is still to come
        ("needs_review", False, False, False),  # waits for a person
        ("needs_review", True, False, True),  # decided: its decision is still to come
        ("validated", False, False, True),
        (None, False, False, True),  # not listed (yet)
    ],
)
def test_what_counts_as_settled(
    status: str | None, decided: bool, notified: bool, waiting: bool
) -> None:
    statuses = {} if status is None else {"d": status}
    assert unsettled(
        statuses, ["d"], {"d"} if decided else set(), {"d"} if notified else set()
    ) == (["d"] if waiting else [])


def test_what_make_run_did_on_its_own_is_read_from_its_output() -> None:
    log = "\n".join([
        "docflow is running: ingest, extract",
        "docflow: extract exited with status 1; restarting it",
        "docflow: store was killed by SIGKILL; restarting it",
        "docflow: extract exited with status 1; restarting it",
        "docflow: the broker at 127.0.0.1:9 was killed by SIGKILL; starting it again",
        "docflow: the broker is back at 127.0.0.1:9 with every topic (the events it held are lost)",
        "docflow: re-drove 3 document(s) in flight when the broker stopped",
        "docflow: re-drove 2 document(s) in flight when the broker stopped",
    ])  # fmt: skip
    assert self_recovery(log) == {
        "extract exited with status 1": 2,
        "store was killed by SIGKILL": 1,
        "broker restarts": 1,
        "documents re-driven as a broker started": 5,
    }
