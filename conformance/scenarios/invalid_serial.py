r"""Requests whose SerialNumber breaks the model: refused with a 400, in every operation that takes one.

Facts: ``SerialNumber`` is the model's ``serialNumberType`` (a length range and a pattern) in each of
EnableMFADevice, DeactivateMFADevice, ResyncMFADevice, GetMFADevice, DeleteVirtualMFADevice,
TagMFADevice, UntagMFADevice and ListMFADeviceTags. A request breaking a model constraint is refused
before anything is looked up (model; real AWS answers such requests ``400 ValidationError``,
SPEC-NOTES), so an endpoint that looks the serial up and answers ``NoSuchEntity`` (404) misses it.

The request's other members are valid and name things that exist (the run's shared user, which none of
these requests can change; well-formed codes, a valid tag), so that the serial is the one thing to
refuse.
"""

from __future__ import annotations

import dataclasses
import string
from dataclasses import dataclass
from typing import Any

import botocore

from conformance.judging.error_tables import unsupported
from conformance.judging.outcomes import Miss, Outcome, Pass
from conformance.judging.registry import check
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.suite import SuiteSession
from reports.model import Evidence
from strategies.authentication_codes import well_formed_code
from strategies.invalid_serials import SERIAL_OPERATIONS
from strategies.tags import tag_pool
from strategies.violations import SERIAL_LABELS, InvalidRequest, Violation

__all__ = ["CASES", "INVALID_SERIAL", "InvalidSerial", "SerialCase", "gather", "invalid_serial_rejected"]

INVALID_SERIAL = "serial.invalid"
_WITH_USER = frozenset({"EnableMFADevice", "DeactivateMFADevice", "ResyncMFADevice"})
_WITH_CODES = frozenset({"EnableMFADevice", "ResyncMFADevice"})


@dataclass(frozen=True)
class SerialCase:
    """One operation, and the serial constraint its request breaks."""

    api_name: str
    label: str

    @property
    def operation(self) -> str:
        """boto3's name: ``EnableMFADevice`` -> ``enable_mfa_device``."""
        return str(botocore.xform_name(self.api_name))

    def __str__(self) -> str:  # the case's name in test ids and in the report
        return f"{self.api_name}: {self.label}"

    def __repr__(self) -> str:  # the memo's key for the case
        return f"SerialCase({self})"


CASES = tuple(SerialCase(operation, spec.label) for operation in SERIAL_OPERATIONS for spec in SERIAL_LABELS)


@dataclass(frozen=True)
class InvalidSerial:
    """A request whose SerialNumber breaks one constraint (``violation``), and what came back."""

    call: ApiCall
    operation: str  # the API name
    violation: Violation
    answer: Rejection | None  # None: the request succeeded
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction


def _others(api_name: str, user: str | None) -> dict[str, Any]:
    """The request's other required members, valid, naming what exists."""
    params: dict[str, Any] = {} if user is None else {"UserName": user}
    if api_name in _WITH_CODES:
        code = well_formed_code(api_name)
        params |= {"AuthenticationCode1": code, "AuthenticationCode2": code}
    letter = next(char for char in string.ascii_letters if char in tag_pool("Key"))
    if api_name == "TagMFADevice":
        params["Tags"] = [{"Key": letter, "Value": ""}]
    if api_name == "UntagMFADevice":
        params["TagKeys"] = [letter]
    return params


def gather(suite: SuiteSession, case: SerialCase, invalid: InvalidRequest) -> InvalidSerial:
    """The case's operation with the invalid serial, through the unvalidated client. The operations that
    name a user name the run's shared user (`SuiteSession.shared_user`): the request is refused, or
    names no device that exists, so it cannot change the user; the reproduction creates and deletes it."""
    user = suite.shared_user() if case.api_name in _WITH_USER else None
    seen = _send(suite, case, invalid, user)
    if user is None:
        return seen
    created, deleted = suite.noted_user(user)
    return dataclasses.replace(seen, calls=(created, *seen.calls, deleted))


@recorded
def _send(suite: SuiteSession, case: SerialCase, invalid: InvalidRequest, user: str | None) -> InvalidSerial:
    params = {**_others(case.api_name, user), **invalid.params}
    reply = suite.send(case.operation, params, validated=False)
    return InvalidSerial(reply.call, case.api_name, invalid.violation, reply.rejection)


@check(
    id="vmfa.serial.invalid-rejected",
    operation=", ".join(SERIAL_OPERATIONS),
    scenario=INVALID_SERIAL,
    clause="SerialNumber (serialNumberType: length range, pattern)",
    evidence=Evidence.MODEL,
)
def invalid_serial_rejected(seen: InvalidSerial) -> Outcome:
    """A SerialNumber that breaks the model's length or pattern is refused with a 400, not looked up."""
    if seen.answer is not None and seen.answer.status == 400:
        return Pass()
    received = "HTTP 200: the request succeeded" if seen.answer is None else seen.answer.describe()
    return unsupported(seen.operation, seen.answer) or Miss(
        f"HTTP 400: {seen.violation.describe()}", received
    )
