"""From a conformance test's end to a `CheckResult`: the verdict, judged from the exception alone.

- the test returned: PASS, or INFO when the check recorded notes;
- a `CheckMiss`: the check's evidence decides (FAIL, DEVIATION or INFO), with Hypothesis's minimal
  counterexample and a boto3 script that reproduces it (the miss's ``calls``, else the observation's
  ``calls``, else its ``call``); but a miss (or an INFO note) about a 5xx answer is a FAIL
  whatever the evidence: the endpoint failed a client request, and the body's kind is said (an AWS
  error document, an HTML page, an empty body);
- `ServerFault` (a call the scenario needed answered 5xx): FAIL, for the same reason;
- a skip: SKIP;
- `OperationMissing` (raised by the session when a call the scenario needs meets an operation the
  endpoint lacks, or by the judge when a check returns `Unsupported`): NOT_IMPLEMENTED, once per
  operation in a run: the first check that meets a missing operation reports it, every later one is SKIP
  naming that check (no storm of the same finding). This is the one place NOT_IMPLEMENTED is decided;
- Hypothesis could not find an example to judge: SKIP, with the reason;
- Hypothesis found several failures, or one it could not replay (``Flaky``, ``FlakyStrategyDefinition``:
  the endpoint answered the same input otherwise when it was sent again): the endpoint's failure among
  them is the result, noted as not repeatable; Hypothesis's words never reach a report;
- `BrokenEndpoint` (the endpoint's basic reads started answering 5xx: `conformance.session.health`):
  FAIL for the check whose step broke it, ERROR naming that step for any other, until the runner amends
  it with what is judged on the broken endpoint (`conformance.judging.damage`): SKIP depending on the
  FAIL of the check whose step broke it, ERROR only when no FAIL explains the breakage;
- anything else: ERROR. A crashing check is never a pass.

Every text is scrubbed of secrets before it leaves this module.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

import pytest
from hypothesis import assume
from hypothesis.errors import FailedHealthCheck, Flaky, Unsatisfiable

from conformance.judging.damage import broke_endpoint, result_label
from conformance.judging.first_pass import Declined, FirstPass
from conformance.judging.memo import ObservationMemo
from conformance.judging.outcomes import Info, Miss, Outcome, Pass, Skip, Unsupported
from conformance.judging.registry import Check, CheckMiss
from conformance.session.calls import ApiCall, NotSent, OperationMissing, Rejection, ServerFault, api_name
from conformance.session.health import Breakage, BrokenEndpoint
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
    first_miss: CheckMiss | None = None  # the first miss, kept for a test that the endpoint's breakage ended


@dataclass
class Judge:
    """Judges observations for one conformance test; `observe` gathers them once per example."""

    record: ItemRecord
    memo: ObservationMemo = field(default_factory=ObservationMemo)
    session: Any = None  # what gatherers are handed first: the run's `SuiteSession`
    side: FirstPass | None = None  # set during a first pass: examples gathered side by side, not judged

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("<judge>")

    def observe(self, gather: Callable[..., T], *inputs: Any) -> T:
        """``gather(session, *inputs)``, once per run for equal inputs (`ObservationMemo`)."""
        self._not_in_first_pass()
        return self.memo.once(gather, *inputs, context=self.session)

    def _not_in_first_pass(self) -> None:
        """A first pass (`conformance.judging.first_pass`) only starts gatherings: anything else
        ends it, and the test runs its plain pass."""
        if self.side is not None:
            raise Declined("a test that does more than gather and judge")

    def cannot_judge(self, unmet: Skip) -> NoReturn:
        """End the test: a prerequisite does not hold (SKIP, with its reason)."""
        self._not_in_first_pass()
        pytest.skip(unmet.reason)

    def gathered(self, check: Check[Any], gather: Callable[..., Any], *inputs: Any) -> None:
        """Judge what ``gather`` observes of ``inputs``; an example whose gatherer observed nothing (None:
        a valid create it needed was refused, which its own check judges) is not an example. In a first
        pass (`conformance.judging.first_pass`) the gathering is only started."""
        if self.side is not None:
            self.side.defer(self, check, gather, inputs)
            return
        observation = self.observe(gather, *inputs)
        assume(observation is not None)
        self(check, observation)

    def __call__(self, check: Check[Any], observation: Any) -> None:
        """Judge one observation; a miss raises `CheckMiss` (Hypothesis shrinks towards it)."""
        self._not_in_first_pass()
        self.record.examples += 1
        outcome = check(observation)
        fault = _server_error(observation, outcome)
        if fault is not None and isinstance(outcome, Info):  # a 5xx is never only recorded
            outcome = Miss("an answer that is not a server error (5xx)", outcome.note)
        if isinstance(outcome, Miss):
            call: ApiCall | None = getattr(observation, "call", None)
            calls: tuple[ApiCall, ...] = (
                outcome.calls or getattr(observation, "calls", ()) or ((call,) if call else ())
            )
            miss = CheckMiss(check, outcome, reproduction(calls), fault)
            self.record.first_miss = self.record.first_miss or miss
            raise miss
        if isinstance(outcome, Info):
            if outcome.note not in self.record.notes and len(self.record.notes) < _MAX_NOTES:
                self.record.notes.append(outcome.note)
        elif isinstance(outcome, Skip):
            pytest.skip(outcome.reason)
        elif isinstance(outcome, Unsupported):
            raise OperationMissing(outcome.operation, outcome.answer)
        else:
            assert isinstance(outcome, Pass), f"{check.id} returned {outcome!r}, not an Outcome"


def _server_error(observation: Any, outcome: Outcome) -> Rejection | None:
    """The 5xx answer in ``observation`` that the miss (or the note) reports, if any: the endpoint
    failed a client request, which is a FAIL whatever the evidence of the rule judged."""
    text = (
        outcome.received if isinstance(outcome, Miss) else outcome.note if isinstance(outcome, Info) else ""
    )
    if not text:
        return None
    return next((r for r in _rejections(observation) if r.server_error and r.describe() in text), None)


def _rejections(value: Any, depth: int = 0) -> Iterator[Rejection]:
    """Every `Rejection` an observation holds, in its fields, sequences and mappings (a few levels)."""
    if isinstance(value, Rejection):
        yield value
    elif depth > _DEPTH:
        return
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for member in dataclasses.fields(value):
            yield from _rejections(getattr(value, member.name), depth + 1)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _rejections(item, depth + 1)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _rejections(item, depth + 1)


_DEPTH = 4  # an observation's answers are this deep at most (a sequence's steps: steps[i].answer)


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
    return _ended_with(excinfo.value, base, record, fixtures, {} if missing is None else missing)


def _ended_with(
    error: BaseException,
    base: dict[str, Any],
    record: ItemRecord,
    fixtures: Collection[str],
    missing: dict[str, str],
) -> CheckResult:
    if isinstance(error, BaseExceptionGroup | Flaky):
        return _several(error, base, record, fixtures, missing)
    if isinstance(error, CheckMiss):
        return _miss_result(error, base, fixtures)
    if isinstance(error, ServerFault):
        return _server_fault(error.rejection, base)
    if isinstance(error, OperationMissing):
        return _not_implemented(error, base, missing)
    if isinstance(error, pytest.skip.Exception):
        return CheckResult(verdict=Verdict.SKIP, message=scrub(str(error.msg)), **base)
    if isinstance(error, NotSent):
        return CheckResult(verdict=Verdict.SKIP, message=scrub(f"not sent: {error}"), **base)
    if isinstance(error, BrokenEndpoint):
        return _broken_result(error.breakage, base, record, fixtures)
    if isinstance(error, Unsatisfiable | FailedHealthCheck):
        message = f"no example could be judged: {_first_line(error)}"
        return CheckResult(verdict=Verdict.SKIP, message=scrub(message), **base)
    message = f"{type(error).__name__}: {_first_line(error)}"
    return CheckResult(verdict=Verdict.ERROR, message=scrub(message), **base)


def _several(
    error: BaseExceptionGroup[Any] | Flaky,
    base: dict[str, Any],
    record: ItemRecord,
    fixtures: Collection[str],
    missing: dict[str, str],
) -> CheckResult:
    """Hypothesis ended with several failures, or with one it could not replay (its ``Flaky``
    errors): never reported as such. A failure of the endpoint among them (a miss, a 5xx) is the
    result, with a note saying what else happened; else an ERROR saying in words what was inconsistent."""
    leaves = list(_leaves(error))
    found: BaseException | None = next((e for e in leaves if isinstance(e, CheckMiss | ServerFault)), None)
    unrepeatable = isinstance(error, Flaky) or any(isinstance(e, Flaky) for e in leaves)
    if found is None and unrepeatable:
        found = record.first_miss  # seen once, in a run whose replay went otherwise
    if found is None:
        first = next((e for e in leaves if not isinstance(e, Flaky)), None)
        message = _UNREPEATABLE if unrepeatable else "the check failed in several ways"
        if first is not None:
            message += f"; the first: {type(first).__name__}: {_first_line(first)}"
        return CheckResult(verdict=Verdict.ERROR, message=scrub(message), **base)
    result = _ended_with(found, base, record, fixtures, missing)
    others = [e for e in leaves if e is not found and not isinstance(e, Flaky)]
    notes = [_UNREPEATABLE] if unrepeatable else []
    notes += [f"it also failed otherwise: {type(e).__name__}: {_first_line(e)}" for e in others[:_MAX_NOTES]]
    return dataclasses.replace(result, notes=(*result.notes, *map(scrub, notes)))


_UNREPEATABLE = (
    "not repeatable: sent again, the same input was answered otherwise (or the same calls led "
    "elsewhere), so the failure could not be replayed and confirmed"
)


def _leaves(error: BaseException) -> Iterator[BaseException]:
    """The exceptions inside (nested) exception groups, in order; a lone exception is its own leaf."""
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _leaves(inner)
    else:
        yield error


def _broken_result(
    breakage: Breakage, base: dict[str, Any], record: ItemRecord, fixtures: Collection[str]
) -> CheckResult:
    """A test the endpoint's breakage ended: its own step broke it (FAIL), or an earlier one did."""
    if breakage.label != result_label(base["check"], base["case"]):
        return CheckResult(verdict=Verdict.ERROR, message=scrub(breakage.describe()), **base)
    if record.first_miss is not None:
        return broke_endpoint(_miss_result(record.first_miss, base, fixtures), breakage)
    return broke_endpoint(CheckResult(verdict=Verdict.PASS, **base), breakage)


def _not_implemented(error: OperationMissing, base: dict[str, Any], missing: dict[str, str]) -> CheckResult:
    reported_by = missing.get(error.operation)
    if reported_by is None:
        missing[error.operation] = result_label(base["check"], base["case"])
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


def _server_fault(rejection: Rejection, base: dict[str, Any]) -> CheckResult:
    """A request the check needed answered 5xx: the endpoint failed a valid request (FAIL)."""
    expected = f"an answer to {api_name(rejection.call.operation)}, a valid request the check needs"
    script = reproduction((rejection.call,))
    message = "\n".join(
        (
            f"{base['check']} (FAIL, a 5xx answer): the endpoint failed a request the check needs",
            f"Expected: {expected}",
            f"Received: {rejection.describe()}",
            f"Reproduce (a boto3 script):\n{script}",
        )
    )
    return CheckResult(
        verdict=Verdict.FAIL,
        message=scrub(message),
        expected=scrub(expected),
        observed=scrub(rejection.describe()),
        reproduction=scrub(script),
        **base,
    )


def _miss_result(error: CheckMiss, base: dict[str, Any], fixtures: Collection[str]) -> CheckResult:
    counterexample = drawn_inputs(getattr(error, "__notes__", ()), fixtures)
    # A 5xx is the endpoint failing a client request: FAIL, whatever the rule's evidence.
    verdict = Verdict.FAIL if error.server_error is not None else error.check.evidence.miss_verdict
    why = f"{error.check.evidence} evidence" + (", a 5xx answer" if error.server_error is not None else "")
    message = "\n".join(
        line
        for line in (
            f"{error.check.id} ({verdict}, {why}): {error.check.title}",
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
