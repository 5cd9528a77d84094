"""What a check returns: the outcome of judging one observation against one rule.

`Pass`, `Miss` (the endpoint broke the rule), `Info` (behaviour recorded, no verdict), `Skip` (the rule
cannot be judged on this observation: a prerequisite does not hold) and `Unsupported` (the endpoint
does not offer the operation). How an outcome becomes a verdict is `conformance.judging.verdicts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Info", "Miss", "Outcome", "Pass", "Skip", "Unsupported"]


@dataclass(frozen=True)
class Pass:
    pass


@dataclass(frozen=True)
class Miss:
    """The endpoint broke the rule. Both texts must already be redacted. ``calls`` (`ApiCall`s): the
    part of the observation's sequence that shows the miss, when the check knows it is shorter; else the
    reproduction replays the whole sequence."""

    expected: str
    received: str
    calls: tuple[Any, ...] = ()


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
