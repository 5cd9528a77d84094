"""The conformance score: one number per target, defined once so that every report agrees.

    score = PASS / (PASS + FAIL + DEVIATION + NOT_IMPLEMENTED + ERROR)

The denominator holds the *judged* results, those where the endpoint could have done the right thing:
a FAIL or DEVIATION did something else, an operation the endpoint lacks (NOT_IMPLEMENTED) is not
conformance, and an ERROR (the suite could not judge) is never allowed to look like a pass, so it
counts against the score rather than vanishing from it. INFO (the spec is silent or contradicts
itself: there is no right answer) and SKIP (not judged, with a reason) are left out of both sides.

The score ignores an expectations file: an expected failure is still not conformance. With no judged
result there is no score (``None``), shown as "—", never as 0 % or 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping

from reports.model import Verdict

__all__ = ["JUDGED", "conformance_score", "format_score"]

JUDGED = (Verdict.PASS, Verdict.FAIL, Verdict.DEVIATION, Verdict.NOT_IMPLEMENTED, Verdict.ERROR)


def conformance_score(counts: Mapping[Verdict, int]) -> float | None:
    """PASS over judged results, in [0, 1]; None when nothing was judged."""
    judged = sum(counts.get(verdict, 0) for verdict in JUDGED)
    return counts.get(Verdict.PASS, 0) / judged if judged else None


def format_score(counts: Mapping[Verdict, int]) -> str:
    """The score as reports print it: ``87.5 %`` (rounded down, so 99.96 % is not 100 %), or ``—``."""
    judged = sum(counts.get(verdict, 0) for verdict in JUDGED)
    if not judged:
        return "—"
    tenths = counts.get(Verdict.PASS, 0) * 1000 // judged  # integer floor: only a perfect run shows 100.0
    return f"{tenths // 10}.{tenths % 10} %"
