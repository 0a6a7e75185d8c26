"""A reviewer deciding on documents waiting for review: some while the chaos goes on, the
rest once the pipeline settled. Who is approved or rejected follows from the seed."""

import threading
import time
from collections.abc import Callable, Mapping
from typing import Final

import httpx

from docflow_tools.chaos.client import Api, Decision, retried
from docflow_tools.chaos.faults import stable_fraction

#: A decision's answer when an earlier try, whose answer was lost, had made it already.
ALREADY_DECIDED: Final = "urn:docflow:problem:already-decided"
_PATIENCE_SECONDS: Final = 10.0
_APPROVE_SHARE: Final = 0.5


class Reviewer:
    """``names`` gives the accepted documents' names by id; a decision counts once the API
    answered 202 (or said it had it already)."""

    def __init__(self, api: Api, seed: int, names: Callable[[], Mapping[str, str]]) -> None:
        self._api = api
        self._seed = seed
        self._names = names
        self._lock = threading.Lock()
        self._decided: dict[str, Decision] = {}
        self.refusals: list[str] = []

    def decided(self) -> dict[str, Decision]:
        with self._lock:
            return dict(self._decided)

    def decision(self, name: str) -> Decision:
        approve = stable_fraction(self._seed, name, "decision") < _APPROVE_SHARE
        return "approve" if approve else "reject"

    def decide_some(self, share: float) -> None:
        """Decide the waiting documents whose names fall in ``share``."""
        self._decide(lambda name: stable_fraction(self._seed, name, "early") < share)

    def decide_all(self) -> bool:
        """Decide every waiting document; whether none is left waiting for a decision."""
        return self._decide(lambda _name: True)

    def _decide(self, chosen: Callable[[str], bool]) -> bool:
        try:
            waiting = self._api.reviews()
        except httpx.HTTPError:
            return False  # the API is down: next time
        names = self._names()
        decided = self.decided()
        todo = [i for i in waiting if i in names and i not in decided and chosen(names[i])]
        return all([self._decide_one(i, self.decision(names[i])) for i in todo])

    def _decide_one(self, document_id: str, decision: Decision) -> bool:
        deadline = time.monotonic() + _PATIENCE_SECONDS
        answer = retried(lambda: self._api.review(document_id, decision), deadline=deadline)
        if answer.status == httpx.codes.ACCEPTED or answer.problem == ALREADY_DECIDED:
            with self._lock:
                self._decided[document_id] = decision
            return True
        if answer.status is not None and answer.status != httpx.codes.SERVICE_UNAVAILABLE:
            self.refusals.append(f"{document_id}: {answer.status} {answer.problem}")
        return False
