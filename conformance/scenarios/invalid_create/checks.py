"""Checks on CreateVirtualMFADevice requests that break exactly one constraint.

A request that breaks the model must be refused as the client's fault: a 4xx error whose code is one
the operation may return (its modeled errors, or the common errors every action may return), with the
HTTP status the model gives that code, and ``Sender`` as the fault. Real AWS's own code and message
for the violation are compared too, as evidence of a lower rank (a miss is a DEVIATION). And a refused
create leaves nothing behind (documented: "the entire request fails and the resource is not created").
"""

from __future__ import annotations

from conformance.judging.error_tables import error_entry, judge_status, known_codes
from conformance.judging.outcomes import Miss, Outcome, Pass, Skip
from conformance.judging.registry import check
from conformance.scenarios.invalid_create.aws_observed import aws_answer
from conformance.scenarios.invalid_create.gather import ATOMIC, INVALID, InvalidCreate
from conformance.session.calls import Rejection
from conformance.session.devices import CreatedDevice
from reports.model import Evidence

__all__ = [
    "answered_as_aws",
    "client_fault",
    "code_is_known",
    "invalid_request_rejected",
    "nothing_created",
    "status_matches_code",
]

_OPERATION = "CreateVirtualMFADevice"
_CLAUSE = "CreateVirtualMFADevice: request parameters (model constraints) and Errors"


def _rejection(seen: InvalidCreate) -> Rejection | Skip:
    if isinstance(seen.outcome, Rejection):
        return seen.outcome
    return Skip("the endpoint accepted the invalid request (vmfa.create.invalid.rejected)")


@check(
    id="vmfa.create.invalid.rejected",
    operation=_OPERATION,
    scenario=INVALID,
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def invalid_request_rejected(seen: InvalidCreate) -> Outcome:
    """A request that breaks a model constraint is refused."""
    if isinstance(seen.outcome, Rejection):
        return Pass()
    return Miss(f"an error: {seen.violation.describe()}", "HTTP 200: the device was created")


@check(
    id="vmfa.create.invalid.client-fault",
    operation=_OPERATION,
    scenario=INVALID,
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def client_fault(seen: InvalidCreate) -> Outcome:
    """The refusal is a 4xx error of fault type Sender, not a server error."""
    rejection = _rejection(seen)
    if isinstance(rejection, Skip):
        return rejection
    if 400 <= rejection.status < 500 and rejection.fault == "Sender":
        return Pass()
    fault = rejection.fault or "no fault type"
    return Miss("HTTP 4xx with <Type>Sender</Type>", f"{rejection.describe()} ({fault})")


@check(
    id="vmfa.create.invalid.error-code",
    operation=_OPERATION,
    scenario=INVALID,
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def code_is_known(seen: InvalidCreate) -> Outcome:
    """The error code is one of the operation's modeled errors or the common errors."""
    rejection = _rejection(seen)
    if isinstance(rejection, Skip):
        return rejection
    if error_entry(_OPERATION, rejection.code) is not None:
        return Pass()
    return Miss(f"one of {', '.join(known_codes(_OPERATION))}", rejection.describe())


@check(
    id="vmfa.create.invalid.status-matches-code",
    operation=_OPERATION,
    scenario=INVALID,
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def status_matches_code(seen: InvalidCreate) -> Outcome:
    """The HTTP status is the one the model (or the common-errors table) gives the error code."""
    rejection = _rejection(seen)
    if isinstance(rejection, Skip):
        return rejection
    return judge_status(_OPERATION, rejection, "vmfa.create.invalid.error-code")


@check(
    id="vmfa.create.invalid.as-aws",
    operation=_OPERATION,
    scenario=INVALID,
    clause=_CLAUSE,
    evidence=Evidence.OBSERVED,
)
def answered_as_aws(seen: InvalidCreate) -> Outcome:
    """The error code and message are those real AWS answers for this violation."""
    rejection = _rejection(seen)
    if isinstance(rejection, Skip):
        return rejection
    expected = aws_answer(seen.violation.label)
    if rejection.code == expected.code and expected.matches_message(rejection.message):
        return Pass()
    kind = "recorded" if expected.recorded else "AWS's habit"
    return Miss(f"{expected.code}: {expected.message} ({kind})", rejection.describe())


@check(
    id="vmfa.create.invalid.nothing-created",
    operation=_OPERATION,
    scenario=ATOMIC,
    clause="CreateVirtualMFADevice: Tags (the entire request fails and the resource is not created)",
    evidence=Evidence.DOCUMENTED,
)
def nothing_created(seen: InvalidCreate) -> Outcome:
    """A refused create leaves no device behind, and the same name can be created right after."""
    if not isinstance(seen.outcome, Rejection):
        return Skip("the endpoint accepted the invalid request (vmfa.create.invalid.rejected)")
    if seen.new_serials:
        return Miss("no new device after the refusal", f"new devices: {', '.join(sorted(seen.new_serials))}")
    if isinstance(seen.recreate, Rejection):
        return Miss(
            "the same path and name, sent again without the broken member, is created",
            seen.recreate.describe(),
        )
    assert seen.recreate is None or isinstance(seen.recreate, CreatedDevice)
    return Pass()
