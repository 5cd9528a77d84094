"""Checks: small registered functions with metadata.

A check judges one rule of the API on one observation (say, a created device) and returns an
`Outcome`. Its metadata is what a report shows: a stable id (``vmfa.create.qr.secret-matches-seed``),
the operation, the clause of the spec it tests, and the evidence that clause rests on, which decides
whether a miss is a FAIL, a DEVIATION or an INFO. A duplicate id fails at import, so ids stay unique
and stable across releases, and reports from different versions can be compared.

Each check belongs to a *scenario*: the kind of observation it needs. The conformance tests run every
check of a scenario, one test per check, so that Hypothesis shrinks each failure for that rule alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from reports.model import Evidence

__all__ = [
    "Check",
    "CheckMiss",
    "Info",
    "Miss",
    "Outcome",
    "Pass",
    "Skip",
    "Unsupported",
    "all_checks",
    "check",
    "checks_for",
]

ObservationT = TypeVar("ObservationT")


@dataclass(frozen=True)
class Pass:
    pass


@dataclass(frozen=True)
class Miss:
    """The endpoint broke the rule. Both texts must already be redacted."""

    expected: str
    received: str


@dataclass(frozen=True)
class Info:
    """Behaviour recorded without a verdict: the spec is silent or contradicts itself here."""

    note: str


@dataclass(frozen=True)
class Skip:
    """The rule cannot be judged on this observation (an earlier rule it depends on does not hold)."""

    reason: str


@dataclass(frozen=True)
class Unsupported:
    """The endpoint does not offer ``operation`` (``answer``: what it said): NOT_IMPLEMENTED, not FAIL."""

    operation: str
    answer: str


Outcome = Pass | Miss | Info | Skip | Unsupported


@dataclass(frozen=True)
class Check(Generic[ObservationT]):
    id: str
    operation: str
    scenario: str
    clause: str
    evidence: Evidence
    title: str
    function: Callable[[ObservationT], Outcome]

    def __call__(self, observation: ObservationT) -> Outcome:
        return self.function(observation)

    def __repr__(self) -> str:  # shown in pytest ids
        return self.id

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis's falsifying example shows the check: its id, not its fields."""
        printer.text(self.id)


class CheckMiss(AssertionError):
    """Raised inside a conformance test when a check misses, so that Hypothesis shrinks the input."""

    def __init__(self, check: Check[Any], miss: Miss, request_text: str) -> None:
        self.check = check
        self.miss = miss
        self.request_text = request_text
        super().__init__(f"{check.id}: {check.title}\nExpected: {miss.expected}\nReceived: {miss.received}")


_REGISTRY: dict[str, Check[Any]] = {}


def check(
    *, id: str, operation: str, scenario: str, clause: str, evidence: Evidence
) -> Callable[[Callable[[ObservationT], Outcome]], Check[ObservationT]]:
    """Register a check; its docstring's first line is its title."""

    def register(function: Callable[[ObservationT], Outcome]) -> Check[ObservationT]:
        if id in _REGISTRY:
            raise ValueError(f"duplicate check id {id!r}")
        title = (function.__doc__ or id).strip().splitlines()[0]
        registered = Check(id, operation, scenario, clause, evidence, title, function)
        _REGISTRY[id] = registered
        return registered

    return register


def all_checks() -> tuple[Check[Any], ...]:
    _load_check_modules()
    return tuple(_REGISTRY.values())


def checks_for(scenario: str) -> tuple[Check[Any], ...]:
    return tuple(c for c in all_checks() if c.scenario == scenario)


def _load_check_modules() -> None:
    # Importing the modules registers their checks.
    from conformance.checks import (  # noqa: F401
        assignment,
        authentication_codes,
        contradictions,
        create_request,
        create_tags,
        device_tags,
        duplicates,
        fresh_device,
        invalid_requests,
        lifecycle_sequences,
        listing,
        not_found,
        otpauth,
        qr_code,
        seed,
        serial_number,
    )
