"""Checks: small registered functions with metadata.

A check judges one rule of the API on one observation (say, a created device) and returns an
`Outcome`. Its metadata is what a report shows: a stable id (``vmfa.create.qr.secret-matches-seed``),
the operation, the clause of the spec it tests, and the evidence that clause rests on, which decides
whether a miss is a FAIL, a DEVIATION or an INFO. A duplicate id fails at import, so ids stay unique
and stable across releases, and reports from different versions can be compared.

A check states what it needs with ``requires=``: prerequisites, each a function of the observation
that returns the `Skip` (or `Unsupported`) to report when it does not hold, or None. They are tried in
order before the check's own body, which can then assume them.

Each check belongs to a *scenario*: the kind of observation it needs. The conformance tests run every
check of a scenario, one test per check, so that Hypothesis shrinks each failure for that rule alone.
The checks are registered by importing their scenario modules (`conformance.scenarios.all_checks`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from conformance.judging.outcomes import Miss, Outcome, Skip, Unsupported
from conformance.session.calls import Rejection
from reports.model import Evidence

__all__ = ["Check", "CheckMiss", "Requirement", "check", "depends_on", "registered", "registered_for"]

ObservationT = TypeVar("ObservationT")
# A prerequisite of a check: None when it holds, else why the check cannot judge.
Requirement = Callable[[ObservationT], Skip | Unsupported | None]


@dataclass(frozen=True)
class Check(Generic[ObservationT]):
    id: str
    operation: str
    scenario: str
    clause: str
    evidence: Evidence
    title: str
    function: Callable[[ObservationT], Outcome]
    requires: tuple[Requirement[ObservationT], ...] = ()

    def __call__(self, observation: ObservationT) -> Outcome:
        for requirement in self.requires:
            unmet = requirement(observation)
            if unmet is not None:
                return unmet
        return self.function(observation)

    def __repr__(self) -> str:  # shown in pytest ids
        return self.id

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis's falsifying example shows the check: its id, not its fields."""
        printer.text(self.id)


class CheckMiss(AssertionError):
    """Raised inside a conformance test when a check misses, so that Hypothesis shrinks the input."""

    def __init__(
        self, check: Check[Any], miss: Miss, request_text: str, server_error: Rejection | None = None
    ) -> None:
        self.check = check
        self.miss = miss
        self.request_text = request_text
        self.server_error = server_error  # the 5xx answer the miss is about: a FAIL whatever the evidence
        super().__init__(f"{check.id}: {check.title}\nExpected: {miss.expected}\nReceived: {miss.received}")


def depends_on(prerequisite: Check[Any], why: str) -> Skip:
    """The Skip of a check that cannot judge because the endpoint got ``prerequisite`` wrong: it names
    that check and the verdict its miss has (the endpoint's fault, never an ERROR of ours)."""
    return Skip(f"depends on {prerequisite.id} ({prerequisite.evidence.miss_verdict}): {why}")


_REGISTRY: dict[str, Check[Any]] = {}


def check(
    *,
    id: str,
    operation: str,
    scenario: str,
    clause: str,
    evidence: Evidence,
    requires: Sequence[Requirement[Any]] = (),
) -> Callable[[Callable[[ObservationT], Outcome]], Check[ObservationT]]:
    """Register a check; its docstring's first line is its title."""

    def register(function: Callable[[ObservationT], Outcome]) -> Check[ObservationT]:
        if id in _REGISTRY:
            raise ValueError(f"duplicate check id {id!r}")
        title = (function.__doc__ or id).strip().splitlines()[0]
        registered = Check(id, operation, scenario, clause, evidence, title, function, tuple(requires))
        _REGISTRY[id] = registered
        return registered

    return register


def registered() -> tuple[Check[Any], ...]:
    """Every check registered so far (`conformance.scenarios.all_checks` imports them all first)."""
    return tuple(_REGISTRY.values())


def registered_for(scenario: str) -> tuple[Check[Any], ...]:
    return tuple(c for c in registered() if c.scenario == scenario)
