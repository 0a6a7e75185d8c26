"""A chaos run's report: a compact table on the terminal, and the same facts as JSON."""

import dataclasses
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from docflow_tools.chaos.checks import Check, Outcome
from docflow_tools.chaos.faults import FaultKind, enrich_fault

#: Problems listed per check on the terminal (the JSON has them all).
SHOWN_PROBLEMS: Final = 20
#: The lines ``make run`` prints when it restarts a service or the broker, and re-drives.
_RESTARTED: Final = re.compile(
    r"^docflow: (\w+ (?:exited with status -?\d+|was killed by \w+)); restarting it$", re.MULTILINE
)
_BROKER_BACK: Final = re.compile(r"^docflow: the broker is back at ", re.MULTILINE)
_REDROVE: Final = re.compile(r"^docflow: re-drove (\d+) document", re.MULTILINE)
_INJECTED: Final = (FaultKind.TRANSIENT, FaultKind.PERMANENT)


@dataclass(frozen=True)
class Report:
    settings: dict[str, Any]
    state_dir: str
    statuses: dict[str, int]
    enrich_faults: dict[str, int]
    reviews: dict[str, int]
    webhooks: dict[str, int]
    faults: list[dict[str, Any]]
    #: What ``make run`` said it did on its own: services restarted, documents re-driven.
    make_run: dict[str, int]
    seconds: dict[str, float]
    checks: list[Check]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def write(self, path: Path) -> None:
        body = dataclasses.asdict(self) | {"passed": self.passed}
        path.write_text(json.dumps(body, indent=2, default=str) + "\n")

    def table(self) -> str:
        width = max(len(c.name) for c in self.checks)
        lines = [f"docflow chaos: {_pairs(self.settings)}", f"state: {self.state_dir}", ""]
        lines += [f"  {c.name:<{width}}  {'PASS' if c.passed else 'FAIL'}  {c.summary}"
                  for c in self.checks]  # fmt: skip
        lines += ["", f"faults: {', '.join(_fault(f) for f in self.faults) or 'none'}"]
        lines += [f"enrichment faults: {_pairs(self.enrich_faults)} (documents accepted)"]
        lines += [f"reviews: {_pairs(self.reviews)}; webhooks: {_pairs(self.webhooks)}"]
        lines += [f"make run on its own: {_pairs(self.make_run) or 'nothing'}"]
        lines += [f"seconds: {_pairs({k: f'{v:.1f}' for k, v in self.seconds.items()})}"]
        for failed in (c for c in self.checks if not c.passed):
            lines += ["", f"{failed.name}:", *_problems(failed)]
        lines += ["", "PASSED" if self.passed else "FAILED"]
        return "\n".join(lines)


def build_report(
    outcome: Outcome,
    checks: list[Check],
    *,
    settings: dict[str, Any],
    state_dir: str,
    seconds: dict[str, float],
    decided_early: int,
    make_run_log: str,
) -> Report:
    kinds = Counter(enrich_fault(i, outcome.faults).kind for i in outcome.accepted)
    distinct = len({d.webhook_id for d in outcome.deliveries})
    return Report(
        settings=settings,
        state_dir=state_dir,
        statuses=dict(Counter(outcome.status(i) or "missing" for i in outcome.accepted)),
        enrich_faults={kind.value: kinds[kind] for kind in _INJECTED},
        reviews={
            "decided while faults ran": decided_early,
            "decided after settling": len(outcome.decided) - decided_early,
        },
        webhooks={
            "notices": distinct,
            "deliveries": len(outcome.deliveries),
            "repeats": len(outcome.deliveries) - distinct,
        },
        faults=[dataclasses.asdict(i) for i in outcome.injected],
        make_run=self_recovery(make_run_log),
        seconds=seconds,
        checks=checks,
    )


def self_recovery(log: str) -> dict[str, int]:
    """What ``make run``'s output says it did by itself: each kind of service restart (a fault
    of the run's, or a crash it caused), broker restarts, and documents re-driven."""
    said: Counter[str] = Counter(_RESTARTED.findall(log))
    said["broker restarts"] = len(_BROKER_BACK.findall(log))
    said["documents re-driven as a broker started"] = sum(map(int, _REDROVE.findall(log)))
    return dict(said)


def _problems(failed: Check) -> list[str]:
    shown = [f"  - {problem}" for problem in failed.problems[:SHOWN_PROBLEMS]]
    hidden = len(failed.problems) - SHOWN_PROBLEMS
    return shown + ([f"  ... and {hidden} more (see the JSON)"] if hidden > 0 else [])


def _fault(fault: dict[str, Any]) -> str:
    mark = "" if fault["done"] else " NOT DONE"
    return f"{fault['at']:.0f}s {fault['action']} {fault['target']}{mark}"


def _pairs(values: dict[str, Any]) -> str:
    return ", ".join(
        f"{key} ({_pairs(value)})" if isinstance(value, dict) else f"{key} {value}"
        for key, value in values.items()
    )
