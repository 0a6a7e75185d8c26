"""The chaos suite's faults: which documents the enrichment fails (the same in the faulty
service and the tool), how the faulty backend fails them, and the plan of process faults."""

import random
from collections.abc import Callable

import pytest

import docflow_enrich.factory
from docflow_enrich.backends import (
    Enrichment,
    EnrichmentBackend,
    LocalBackend,
    backend_from_settings,
)
from docflow_enrich.settings import EnrichSettings
from docflow_events.v1 import Cost
from docflow_events.v1.results import ExtractionResult, Page
from docflow_tools.chaos.faults import EnrichFaultSettings, FaultKind, enrich_fault
from docflow_tools.chaos.faulty_enrich import (
    FaultyBackend,
    InjectedEnrichmentFailure,
    InjectedEnrichmentHiccup,
)
from docflow_tools.chaos.faulty_enrich import __main__ as faulty_enrich_main
from docflow_tools.chaos.schedule import BROKER, MAKE_RUN, STAGES, Action, plan_faults
from docflow_tools.supervision import CRASH_WINDOW_SECONDS

SHARES = EnrichFaultSettings(seed=7, enrich_transient_share=0.1, enrich_permanent_share=0.1)


def _extraction(document_id: str) -> ExtractionResult:
    page = Page(number=1, text="Meeting note. The team met.", method="text_layer")
    return ExtractionResult(document_id=document_id, media_type="text/plain", backend="local",
                            pages=[page], cost=Cost(backend="local"))  # fmt: skip


def _ids(kind: FaultKind, settings: EnrichFaultSettings = SHARES) -> list[str]:
    ids = (f"doc-{n}" for n in range(10_000))
    return [i for i in ids if enrich_fault(i, settings).kind is kind]


def test_the_shares_are_kept_and_a_document_always_gets_the_same_fault() -> None:
    kinds = [enrich_fault(f"doc-{n}", SHARES).kind for n in range(10_000)]
    assert kinds.count(FaultKind.PERMANENT) == pytest.approx(1000, rel=0.1)
    assert kinds.count(FaultKind.TRANSIENT) == pytest.approx(1000, rel=0.1)
    assert kinds == [enrich_fault(f"doc-{n}", SHARES).kind for n in range(10_000)]
    other_seed = SHARES.model_copy(update={"seed": 8})
    assert _ids(FaultKind.PERMANENT) != _ids(FaultKind.PERMANENT, other_seed)


def test_the_settings_reach_another_process_through_its_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in SHARES.environment().items():
        monkeypatch.setenv(name, value)
    assert EnrichFaultSettings() == SHARES


def test_shares_above_one_are_refused() -> None:
    with pytest.raises(ValueError, match="more than 1"):
        EnrichFaultSettings(enrich_transient_share=0.6, enrich_permanent_share=0.5)


def test_a_transient_fault_fails_the_first_attempts_then_enriches() -> None:
    backend = FaultyBackend(LocalBackend(), SHARES)
    document_id = _ids(FaultKind.TRANSIENT)[0]
    failures = enrich_fault(document_id, SHARES).failures
    assert 1 <= failures <= 2
    for _ in range(failures):
        with pytest.raises(InjectedEnrichmentHiccup):
            backend.enrich(_extraction(document_id))
    assert isinstance(backend.enrich(_extraction(document_id)), Enrichment)


def test_a_permanent_fault_fails_every_attempt_and_others_pass_untouched() -> None:
    backend = FaultyBackend(LocalBackend(), SHARES)
    doomed = _ids(FaultKind.PERMANENT)[0]
    for _ in range(3):
        with pytest.raises(InjectedEnrichmentFailure):
            backend.enrich(_extraction(doomed))
    spared = _extraction(_ids(FaultKind.NONE)[0])
    assert backend.enrich(spared) == LocalBackend().enrich(spared)
    assert backend.name == LocalBackend().name


COUNTS = {Action.STAGE_SIGKILL: 6, Action.STAGE_SIGTERM: 4, Action.BROKER_SIGKILL: 2,
          Action.RESTART: 2}  # fmt: skip


def test_the_plan_follows_from_the_seed_and_has_every_fault_asked_for() -> None:
    plan = plan_faults(COUNTS, 10, 190, random.Random(3))
    assert plan == plan_faults(COUNTS, 10, 190, random.Random(3))
    assert plan != plan_faults(COUNTS, 10, 190, random.Random(4))
    assert {a: sum(f.action is a for f in plan.faults) for a in Action} == COUNTS
    assert [f.at for f in plan.faults] == sorted(f.at for f in plan.faults)
    assert all(f.target == BROKER for f in plan.faults if f.action is Action.BROKER_SIGKILL)
    assert all(f.target == MAKE_RUN for f in plan.faults if f.action is Action.RESTART)


@pytest.mark.parametrize("seed", range(20))
def test_no_stage_is_planned_to_crash_loop(seed: int) -> None:
    """Even crowded (faults 5 s apart), a stage is stopped at most twice in the crash window,
    broker kills included, unless every stage already was."""
    plan = plan_faults(
        {Action.STAGE_SIGKILL: 20, Action.BROKER_SIGKILL: 1}, 0, 10, random.Random(seed)
    )
    for fault in plan.faults:
        if fault.target in STAGES:
            window = [f for f in plan.faults if 0 <= fault.at - f.at < CRASH_WINDOW_SECONDS]
            assert sum(f.target in (fault.target, BROKER) for f in window) <= 3
    assert plan.gap >= 5


def test_the_faulty_enrich_service_is_enrich_with_its_backend_wrapped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[object] = []

    def enrich_main() -> int:
        built.append(_factory_backend()(EnrichSettings()))
        return 0

    monkeypatch.setattr(faulty_enrich_main, "enrich_main", enrich_main)
    assert faulty_enrich_main.main() == 0
    assert [type(backend) for backend in built] == [FaultyBackend]
    assert _factory_backend() is backend_from_settings


def _factory_backend() -> Callable[[EnrichSettings], EnrichmentBackend]:
    """What enrich's factory calls for its backend (a name it imports, not one it exports)."""
    found: Callable[[EnrichSettings], EnrichmentBackend] = vars(docflow_enrich.factory)[
        "backend_from_settings"
    ]
    return found
