"""Checks on random sequences of lifecycle calls, judged step by step against the lifecycle model.

Two rules, so that each finding has one owner:

- ``vmfa.lifecycle.answers-agree``: each call answers what the model predicts from the state so far
  (success, or the error code of the precondition it breaks, with the model's HTTP status);
- ``vmfa.lifecycle.lists-agree``: after each call, ListVirtualMFADevices under every AssignmentStatus
  (paged with a small MaxItems), ListMFADevices for each user and ListMFADeviceTags show the state
  the answers so far imply.

A sequence is judged only while the endpoint and the model agree: after the first disagreement the
model no longer knows the state, so the rest of that sequence is sent but not judged. A wrong answer is
thus never blamed on the lists, nor a wrong list on a later answer.

Every step is numbered; a miss shows the step that disagreed, and the failing sequence is noted for the
report (seeds never appear in it: EnableMFADevice's codes are named, not shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conformance.judging.error_tables import error_entry
from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import check
from conformance.scenarios.lifecycle.model import Expected
from conformance.session.calls import ApiCall, Rejection, api_name
from reports.model import Evidence

__all__ = [
    "ANSWERS",
    "LISTS",
    "AnsweredStep",
    "Disagreement",
    "ListedState",
    "Step",
    "answer_miss",
    "answers_agree",
    "lists_agree",
    "numbered",
]

ANSWERS = "lifecycle.answers"
LISTS = "lifecycle.lists"
_OPERATIONS = (
    "CreateVirtualMFADevice, EnableMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice, "
    "TagMFADevice, UntagMFADevice, DeleteUser"
)


@dataclass(frozen=True)
class Step:
    """One numbered call of a sequence: what was sent, what the model expected, what came back."""

    number: int
    call: ApiCall
    expected: Expected
    answer: Rejection | None  # None: HTTP 200
    result: str = ""  # what a success returned that later steps refer to (a new device's serial)

    def describe(self) -> str:
        received = self.answer.describe() if self.answer is not None else f"HTTP 200{self.result}"
        return f"{self.number}. {self.call.shown()} -> {received}"


def numbered(steps: Sequence[Step]) -> str:
    return "\n".join(step.describe() for step in steps)


def _expected_text(operation: str, expected: Expected) -> str:
    answers = ["HTTP 200"] if expected.succeeds else []
    for code in sorted(expected.codes):
        entry = error_entry(operation, code)
        answers.append(f"HTTP {entry.http_status} {code}" if entry else code)
    return " or ".join(answers) + (f" ({expected.reason})" if expected.reason else "")


def answer_miss(step: Step) -> Miss | None:
    """How the step's answer differs from the model's (code, and the model's status for it)."""
    operation = api_name(step.call.operation)
    expected = f"step {step.number}: {step.call.shown()}: {_expected_text(operation, step.expected)}"
    answer = step.answer
    if answer is None:
        return None if step.expected.succeeds else Miss(expected, f"step {step.number}: HTTP 200")
    entry = error_entry(operation, answer.code)
    if answer.code in step.expected.codes and (entry is None or entry.http_status == answer.status):
        return None
    return Miss(expected, f"step {step.number}: {answer.describe()}")


@dataclass(frozen=True)
class AnsweredStep:
    """The sequence so far; its last step is the one judged."""

    steps: tuple[Step, ...]

    @property
    def call(self) -> ApiCall:
        return self.steps[-1].call

    @property
    def calls(self) -> tuple[ApiCall, ...]:
        """The sequence up to the step judged: what a reproduction replays."""
        return tuple(step.call for step in self.steps)


@check(
    id="vmfa.lifecycle.answers-agree",
    operation=_OPERATIONS,
    scenario=ANSWERS,
    clause="the lifecycle's preconditions: DeleteConflict, EntityAlreadyExists, NoSuchEntity, LimitExceeded",
    evidence=Evidence.MODEL,
)
def answers_agree(observed: AnsweredStep) -> Outcome:
    """In any sequence of lifecycle calls, each answer is the one the model predicts from the state."""
    return answer_miss(observed.steps[-1]) or Pass()


@dataclass(frozen=True)
class Disagreement:
    """One view of the endpoint (a list call, every page) that differs from the model."""

    view: str  # "ListVirtualMFADevices(AssignmentStatus='Assigned', MaxItems=1)"
    expected: str
    received: str
    call: ApiCall  # the view's first request, for the reproduction


@dataclass(frozen=True)
class ListedState:
    """The views of the endpoint after the last step, where they differ from the model."""

    steps: tuple[Step, ...]
    disagreements: tuple[Disagreement, ...]
    first_view: ApiCall  # the first list call made after the step

    @property
    def call(self) -> ApiCall:
        return self.disagreements[0].call if self.disagreements else self.first_view

    @property
    def calls(self) -> tuple[ApiCall, ...]:
        """The sequence, then the first view that differs: what a reproduction replays."""
        return (*(step.call for step in self.steps), self.call)


def _after(steps: Sequence[Step]) -> str:
    return f"after step {steps[-1].number}" if steps else "before any step"


@check(
    id="vmfa.lifecycle.lists-agree",
    operation="ListVirtualMFADevices, ListMFADevices, ListMFADeviceTags",
    scenario=LISTS,
    clause="ListVirtualMFADevices: AssignmentStatus, MaxItems, Marker; ListMFADevices; ListMFADeviceTags",
    evidence=Evidence.DOCUMENTED,
)
def lists_agree(observed: ListedState) -> Outcome:
    """After each call of a sequence, every list shows the devices, assignments and tags it implies."""
    if not observed.disagreements:
        return Pass()
    return Miss(
        f"{_after(observed.steps)}: "
        + "; ".join(f"{item.view} {item.expected}" for item in observed.disagreements),
        "; ".join(f"{item.view} {item.received}" for item in observed.disagreements),
    )
