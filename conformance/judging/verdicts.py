"""From a conformance test's end to a `CheckResult`: the verdict, judged from the exception alone.

- the test returned: PASS, or INFO when the check recorded notes;
- a `CheckMiss`: the check's evidence decides (FAIL, DEVIATION or INFO), with Hypothesis's minimal
  counterexample and a boto3 script that reproduces it (the observation's ``calls``, else its ``call``);
- a skip: SKIP;
- `OperationMissing` (raised by the session when a call the scenario needs meets an operation the
  endpoint lacks, or by the judge when a check returns `Unsupported`): NOT_IMPLEMENTED, once per
  operation in a run: the first check that meets a missing operation reports it, every later one is SKIP
  naming that check (no storm of the same finding). This is the one place NOT_IMPLEMENTED is decided;
- Hypothesis could not find an example to judge: SKIP, with the reason;
- anything else: ERROR. A crashing check is never a pass.

Every text is scrubbed of secrets before it leaves this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from hypothesis import assume
from hypothesis.errors import FailedHealthCheck, Unsatisfiable

from conformance.judging.memo import ObservationMemo
from conformance.judging.outcomes import Info, Miss, Pass, Skip, Unsupported
from conformance.judging.registry import Check, CheckMiss
from conformance.session.calls import ApiCall, OperationMissing
from conformance.session.reproduction import reproduction
from conformance.session.secrets import scrub
from reports.model import CheckResult, Verdict

__all__ = [
    "NOT_IMPLEMENTED_PREFIX",
    "STEPS_NOTE",
    "ItemRecord",
    "Judge",
    "drawn_inputs",
    "result_for",
]

NOT_IMPLEMENTED_PREFIX = "not implemented by the endpoint: "
# The first line of the note a state machine makes of its failing sequence, one numbered call a line.
STEPS_NOTE = "The failing sequence of calls:"
_MAX_NOTES = 5
T = TypeVar("T")


@dataclass
class ItemRecord:
    """What one conformance test saw across all its examples."""

    examples: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Judge:
    """Judges observations for one conformance test; `observe` gathers them once per example."""

    record: ItemRecord
    memo: ObservationMemo = field(default_factory=ObservationMemo)
    session: Any = None  # what gatherers are handed first: the run's `SuiteSession`

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("<judge>")

    def observe(self, gather: Callable[..., T], *inputs: Any) -> T:
        """``gather(session, *inputs)``, once per run for equal inputs (`ObservationMemo`)."""
        return self.memo.once(gather, *inputs, context=self.session)

    def gathered(self, check: Check[Any], gather: Callable[..., Any], *inputs: Any) -> None:
        """Judge what ``gather`` observes of ``inputs``; an example whose gatherer observed nothing (None:
        a valid create it needed was refused, which its own check judges) is not an example."""
        observation = self.observe(gather, *inputs)
        assume(observation is not None)
        self(check, observation)

    def __call__(self, check: Check[Any], observation: Any) -> None:
        """Judge one observation; a miss raises `CheckMiss` (Hypothesis shrinks towards it)."""
        self.record.examples += 1
        outcome = check(observation)
        if isinstance(outcome, Miss):
            call: ApiCall | None = getattr(observation, "call", None)
            calls: tuple[ApiCall, ...] = (
                outcome.calls or getattr(observation, "calls", ()) or ((call,) if call else ())
            )
            raise CheckMiss(check, outcome, reproduction(calls))
        if isinstance(outcome, Info):
            if outcome.note not in self.record.notes and len(self.record.notes) < _MAX_NOTES:
                self.record.notes.append(outcome.note)
        elif isinstance(outcome, Skip):
            pytest.skip(outcome.reason)
        elif isinstance(outcome, Unsupported):
            raise OperationMissing(outcome.operation, outcome.answer)
        else:
            assert isinstance(outcome, Pass), f"{check.id} returned {outcome!r}, not an Outcome"


def result_for(
    check: Check[Any],
    excinfo: pytest.ExceptionInfo[BaseException] | None,
    record: ItemRecord,
    duration: float,
    fixtures: Collection[str] = (),
    case: str | None = None,
    missing: dict[str, str] | None = None,
) -> CheckResult:
    """The result of one conformance test. ``missing`` (operation -> the check that reported it) is the
    run's memory of NOT_IMPLEMENTED findings; it is updated here."""
    base: dict[str, Any] = {
        "check": check.id,
        "case": case,
        "operation": check.operation,
        "clause": check.clause,
        "evidence": check.evidence,
        "title": check.title,
        "examples": record.examples,
        "duration_s": round(duration, 3),
        "notes": tuple(scrub(note) for note in record.notes),
    }
    if excinfo is None:
        verdict = Verdict.INFO if record.notes else Verdict.PASS
        return CheckResult(verdict=verdict, message="; ".join(base["notes"]), **base)
    error = excinfo.value
    if isinstance(error, CheckMiss):
        return _miss_result(error, base, fixtures)
    if isinstance(error, OperationMissing):
        return _not_implemented(error, base, {} if missing is None else missing)
    if isinstance(error, pytest.skip.Exception):
        return CheckResult(verdict=Verdict.SKIP, message=scrub(str(error.msg)), **base)
    if isinstance(error, Unsatisfiable | FailedHealthCheck):
        message = f"no example could be judged: {_first_line(error)}"
        return CheckResult(verdict=Verdict.SKIP, message=scrub(message), **base)
    message = f"{type(error).__name__}: {_first_line(error)}"
    return CheckResult(verdict=Verdict.ERROR, message=scrub(message), **base)


def _not_implemented(error: OperationMissing, base: dict[str, Any], missing: dict[str, str]) -> CheckResult:
    reported_by = missing.get(error.operation)
    if reported_by is None:
        missing[error.operation] = base["check"] + (f" [{base['case']}]" if base["case"] else "")
        message = f"{NOT_IMPLEMENTED_PREFIX}{error.operation} ({error.answer})"
        return CheckResult(verdict=Verdict.NOT_IMPLEMENTED, message=scrub(message), **base)
    reason = f"depends on {error.operation}, which the endpoint does not implement (see {reported_by})"
    return CheckResult(verdict=Verdict.SKIP, message=reason, **base)


def drawn_inputs(notes: Sequence[str], fixtures: Collection[str]) -> str:
    """Hypothesis's failing example, reduced to the inputs it drew (fixtures are not inputs).

    Hypothesis notes the example as ``test_x(\n    name=value,\n    ...)``: one argument per line at
    four spaces, continuation lines deeper. Arguments named like a fixture are left out. A state
    machine's failing sequence, noted under `STEPS_NOTE`, is the input: its numbered calls are returned
    instead of Hypothesis's rule calls, whose arguments are bundle references and ``data(...)``.
    """
    steps = [note for note in notes if note.startswith(STEPS_NOTE)]
    if steps:
        return steps[-1].removeprefix(STEPS_NOTE).strip("\n")
    kept: list[str] = []
    keep = False
    for note in notes:
        drawn = re.match(r"Draw \d+(?: \((?P<label>[^)]*)\))?: (?P<value>.*)", note, re.DOTALL)
        if drawn:  # a value drawn inside the test (st.data()): an input too, named by its label
            label = drawn.group("label")
            named = label is not None and label.isidentifier()  # a member name, not a phrase
            kept.append(f"{label}={drawn.group('value')}" if named else drawn.group("value"))
            continue
        for line in note.splitlines()[1:]:
            match = re.match(r"    (\w+)=", line)
            if match:
                # not drawn: a fixture, Hypothesis's data object, an argument an explicit example left None
                keep = match.group(1) not in fixtures and not line.endswith(("=data(...),", "=None,"))
            elif not line.startswith("     "):
                keep = False  # the closing parenthesis, or text after the example
                continue
            if keep:
                kept.append(line[4:])
    return "\n".join(kept).rstrip(",")


def _miss_result(error: CheckMiss, base: dict[str, Any], fixtures: Collection[str]) -> CheckResult:
    counterexample = drawn_inputs(getattr(error, "__notes__", ()), fixtures)
    verdict = error.check.evidence.miss_verdict
    message = "\n".join(
        line
        for line in (
            f"{error.check.id} ({verdict}, {error.check.evidence} evidence): {error.check.title}",
            f"Expected: {error.miss.expected}",
            f"Received: {error.miss.received}",
            f"Minimal failing input: {counterexample}" if counterexample else "",
            f"Reproduce (a boto3 script):\n{error.request_text}" if error.request_text else "",
        )
        if line
    )
    return CheckResult(
        verdict=verdict,
        message=scrub(message),
        expected=scrub(error.miss.expected),
        observed=scrub(error.miss.received),
        counterexample=scrub(counterexample) or None,
        reproduction=scrub(error.request_text) or None,
        **base,
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "(no message)"
