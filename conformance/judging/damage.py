"""What a broken endpoint does to the results: one finding, not a new one in every later check.

When the endpoint's basic reads start answering 5xx (`conformance.session.health` notices it, and names
the first call it accepted after the last read that worked), the check whose test sent that call FAILs
(`broke_endpoint`), and every result judged on the broken endpoint since that call, which is not PASS,
INFO or SKIP, cannot be judged any more (`after_damage`), with what it would have been kept as a note:

- SKIP "depends on <check> (FAIL): the endpoint has answered 5xx to basic reads since ..." when the run
  judged the check whose step it was, and that check FAILs: the endpoint got a prerequisite of every
  later result wrong (its own state), and that is reported once, as that FAIL, never as an ERROR of ours;
- ERROR naming the breakage when no FAIL explains it: no check judged the step (a call made between
  tests), or the culprit's result is not a FAIL. Then we could not judge, and do not know why.

`blame` applies both to a run's results, once, when the breakage is noticed: the culprit's test may have
ended long before, and the results between were judged before anyone knew.
"""

from __future__ import annotations

import dataclasses
from collections.abc import MutableSequence, Sequence

from conformance.session.health import Breakage
from conformance.session.secrets import scrub
from reports.model import CheckResult, Verdict

__all__ = ["after_damage", "blame", "broke_endpoint", "cause_of", "result_label"]


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


def cause_of(results: Sequence[CheckResult], breakage: Breakage) -> CheckResult | None:
    """The last result of the check whose step broke the endpoint, if the run judged it."""
    if breakage.label is None:
        return None
    return next(
        (result for result in reversed(results) if result_label(result.check, result.case) == breakage.label),
        None,
    )


def after_damage(result: CheckResult, breakage: Breakage, results: Sequence[CheckResult] = ()) -> CheckResult:
    """``result``, judged on the endpoint after ``breakage``: a finding there (anything but PASS, INFO
    or SKIP) is SKIP depending on the FAIL of the check whose step broke it (found among ``results``,
    the run's results), else ERROR naming the breakage; what it would have been is kept as a note. A
    result the breakage ended (an ERROR that says the breakage and nothing else) gets no such note."""
    said = breakage.describe()
    if result.verdict in (Verdict.PASS, Verdict.INFO, Verdict.SKIP):
        return result
    if result_label(result.check, result.case) == breakage.label:
        return result  # the culprit itself: `broke_endpoint`
    cause = cause_of(results, breakage)
    ended = result.verdict is Verdict.ERROR and result.message == said
    if ended and (cause is None or cause.verdict is not Verdict.FAIL):
        return result
    judged = () if ended else (scrub(f"judged on the broken endpoint: {result.verdict}: {result.message}"),)
    if cause is not None and cause.verdict is Verdict.FAIL:
        verdict, message = Verdict.SKIP, f"depends on {breakage.label} (FAIL): {said}"
    else:
        verdict, message = Verdict.ERROR, said
    return dataclasses.replace(
        result,
        verdict=verdict,
        message=scrub(message),
        expected=None,
        observed=None,
        counterexample=None,
        reproduction=None,
        notes=(*result.notes, *judged),
    )


def blame(results: MutableSequence[CheckResult], breakage: Breakage, *, just_judged: bool) -> None:
    """Amend ``results`` when ``breakage`` is first noticed: the last result of the check that made the
    step FAILs, every later one is `after_damage` (SKIP depending on that FAIL). Without that check among
    them (a call between tests), only the result just judged (``just_judged``: the last one) is amended,
    an ERROR."""
    labels = [result_label(result.check, result.case) for result in results]
    culprit = max((index for index, label in enumerate(labels) if label == breakage.label), default=None)
    if culprit is not None:
        results[culprit] = broke_endpoint(results[culprit], breakage)
        first_after, cause = culprit + 1, [results[culprit]]  # looked up once, not once a result
    else:
        first_after, cause = len(results) - (1 if just_judged else 0), []
    for index in range(first_after, len(results)):
        results[index] = after_damage(results[index], breakage, cause)
