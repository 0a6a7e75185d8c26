"""When each fault of a chaos run happens and what it hits: planned up front from the seed.

Faults are evenly spaced, never closer than a few seconds, and a stage is not planned to be
stopped more than twice within ``make run``'s crash window where that can be helped: a
fourth exit would make ``make run`` give up on it (a crash loop), which is not what the
suite tests. A broker kill counts as a stop of every stage: the new broker does not know a
stage's idempotent producer, so a stage exits once its next output times out
(``DOCFLOW_KAFKA_DELIVERY_TIMEOUT_SECONDS`` later). A restart starts the count again.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from docflow_tools.chaos.launcher import DELIVERY_TIMEOUT_SECONDS
from docflow_tools.services import INGEST, SERVICES
from docflow_tools.supervision import CRASH_WINDOW_SECONDS, MAX_CRASHES

#: Every process a stage fault may hit; ingest is left alone (stopping it is the restart's).
STAGES: Final = tuple(service.name for service in SERVICES if service.name != INGEST)
MIN_GAP_SECONDS: Final = 5.0
#: Stops faults may cause a stage within the window, leaving one for its own crashes.
_STOPS_PER_WINDOW: Final = MAX_CRASHES - 1
#: The crash window, and the delay of a stage's exit after a broker kill.
_WINDOW_SECONDS: Final = CRASH_WINDOW_SECONDS + DELIVERY_TIMEOUT_SECONDS
BROKER: Final = "broker"
MAKE_RUN: Final = "make run"


class Action(StrEnum):
    STAGE_SIGKILL = "stage-sigkill"
    STAGE_SIGTERM = "stage-sigterm"
    BROKER_SIGKILL = "broker-sigkill"
    RESTART = "restart"


@dataclass(frozen=True)
class Planned:
    #: Seconds after the first upload.
    at: float
    action: Action
    target: str


@dataclass(frozen=True)
class FaultPlan:
    #: Seconds between two faults: kept by the injector when it runs late, so that the
    #: crash-window budget holds for what really happens too.
    gap: float
    faults: tuple[Planned, ...]


def plan_faults(
    counts: Mapping[Action, int], start: float, end: float, rng: random.Random
) -> FaultPlan:
    """``counts`` faults in a shuffled order, spaced evenly from ``start`` to ``end`` (or
    ``MIN_GAP_SECONDS`` apart, when that is further)."""
    actions = [action for action, count in counts.items() for _ in range(count)]
    rng.shuffle(actions)
    gap = max(MIN_GAP_SECONDS, (end - start) / max(1, len(actions)))
    planned: list[Planned] = []
    for index, action in enumerate(actions):
        at = start + gap * (index + 0.5)
        planned.append(Planned(at, action, _target(action, at, planned, rng)))
    return FaultPlan(gap, tuple(planned))


def _target(action: Action, at: float, earlier: list[Planned], rng: random.Random) -> str:
    if action is Action.BROKER_SIGKILL:
        return BROKER
    if action is Action.RESTART:
        return MAKE_RUN
    recent = _since_restart([p for p in earlier if at - p.at < _WINDOW_SECONDS])
    stops = {stage: sum(p.target in (stage, BROKER) for p in recent) for stage in STAGES}
    fewest = min(stops.values())
    allowed = [s for s in STAGES if stops[s] < _STOPS_PER_WINDOW or stops[s] == fewest]
    # "Another" stage than the one just stopped, where there is a choice.
    last = next((p.target for p in reversed(recent) if p.target in STAGES), None)
    return rng.choice([s for s in allowed if s != last] or allowed)


def _since_restart(planned: list[Planned]) -> list[Planned]:
    restarts = [i for i, p in enumerate(planned) if p.action is Action.RESTART]
    return planned[restarts[-1] + 1 :] if restarts else planned
