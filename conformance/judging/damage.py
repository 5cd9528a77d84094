"""What a broken endpoint does to the results: one finding, not a new one in every later check.

When the endpoint's basic reads start answering 5xx (`conformance.session.health` notices it, and names
the first call it accepted after the last read that worked), the check whose test sent that call FAILs
(`broke_endpoint`), and every result judged on the broken endpoint since that call, which is not PASS,
INFO or SKIP, becomes an ERROR naming the breakage (`after_damage`), with what it would have been kept
as a note. `blame` applies both to a run's results, once, when the breakage is noticed: the culprit's
test may have ended long before, and the results between were judged before anyone knew.
"""

from __future__ import annotations

import dataclasses
from collections.abc import MutableSequence

from conformance.session.health import Breakage
from conformance.session.secrets import scrub
from reports.model import CheckResult, Verdict

__all__ = ["after_damage", "blame", "broke_endpoint", "result_label"]


def result_label(check: str, case: str | None) -> str:
    """How a result is named in other results' texts: its check id, and its case in brackets."""
    return check + (f" [{case}]" if case else "")


def broke_endpoint(result: CheckResult, breakage: Breakage) -> CheckResult:
    """``result`` of the check whose step broke the endpoint: a FAIL that names the step (a FAIL
    already keeps its own message, the breakage noted)."""
    note = scrub(f"the endpoint broke: after {breakage.step}, basic reads answer 5xx: {breakage.read}")
    if note in result.notes:
        return result
    if result.verdict is Verdict.FAIL:
        return dataclasses.replace(result, notes=(*result.notes, note))
    expected = f"basic reads keep answering after {breakage.step}"
    message = "\n".join(
        (
            f"{result.check} (FAIL): the endpoint broke after a step of this check",
            f"Expected: {expected}",
            f"Received: {breakage.read}",
        )
    )
    earlier = (f"judged before it broke: {result.verdict}: {result.message}",) if result.message else ()
    return dataclasses.replace(
        result,
        verdict=Verdict.FAIL,
        message=scrub(message),
        expected=scrub(expected),
        observed=scrub(breakage.read),
        notes=(*result.notes, *map(scrub, earlier), note),
    )


def after_damage(result: CheckResult, breakage: Breakage) -> CheckResult:
    """``result``, judged on the endpoint after ``breakage``: a finding there (anything but PASS, INFO
    or SKIP) is ERROR, naming the breakage, with what it would have been kept as a note."""
    said = breakage.describe()
    if result.verdict in (Verdict.PASS, Verdict.INFO, Verdict.SKIP) or result.message == said:
        return result
    judged = scrub(f"judged on the broken endpoint: {result.verdict}: {result.message}")
    return dataclasses.replace(
        result,
        verdict=Verdict.ERROR,
        message=scrub(said),
        expected=None,
        observed=None,
        counterexample=None,
        reproduction=None,
        notes=(*result.notes, judged),
    )


def blame(results: MutableSequence[CheckResult], breakage: Breakage, *, just_judged: bool) -> None:
    """Amend ``results`` when ``breakage`` is first noticed: the last result of the check that made the
    step FAILs, every later one is `after_damage`. Without that check among them (a call between
    tests), only the result just judged (``just_judged``: the last one) is amended."""
    labels = [result_label(result.check, result.case) for result in results]
    culprit = max((index for index, label in enumerate(labels) if label == breakage.label), default=None)
    if culprit is not None:
        results[culprit] = broke_endpoint(results[culprit], breakage)
        first_after = culprit + 1
    else:
        first_after = len(results) - (1 if just_judged else 0)
    for index in range(first_after, len(results)):
        results[index] = after_damage(results[index], breakage)
