"""Sending an invalid create, and what is observed of it: `InvalidCreate`.

Whether a refused create left a device is looked for by the token that made its request unique
(`_made_by`) in a listing of the run's devices taken after the refusal. One listing serves every
refusal sent before it (`_listed_after`): with the ``aws`` profile the atomic check judges the very
refusal the invalid-request checks observed (`refusal_left_nothing`, the same drawn request met in the
observation memo), so one listing after all of them, not one per label and a create of its own.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.suite import SuiteSession
from strategies.paths import path_shape
from strategies.serials import serial_is_valid, serial_number
from strategies.violations import CREATE_LABELS, InvalidRequest, Violation

__all__ = ["ATOMIC", "INVALID", "LABELS", "InvalidCreate", "gather", "gather_atomic", "refusal_left_nothing"]

INVALID = "create.invalid"
ATOMIC = "create.invalid.atomic"
LABELS = [spec.label for spec in CREATE_LABELS]
# Labels whose request keeps a valid path and name: after the refusal, the same device can be created.
_PATH_AND_NAME_VALID = [spec.label for spec in CREATE_LABELS if spec.member.startswith("Tags")]
# `SuiteSession.held` keys: the tokens of the refused creates sent so far, and the last listing
# looked in (the run's serials, and the tokens of the refusals sent before it).
_REFUSED = "invalid_create.refused"
_LISTED = "invalid_create.listed"


@dataclass(frozen=True)
class InvalidCreate:
    """A create whose request breaks exactly one constraint (``violation``), and what came back."""

    violation: Violation
    outcome: CreatedDevice | Rejection
    new_serials: frozenset[str] = frozenset()  # devices that appeared although it was rejected
    recreate: CreatedDevice | Rejection | None = None  # the same path and name sent again, valid
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction
    token: str = ""  # what made the request unique (`_unique`), by which its device is found
    params: Mapping[str, Any] = field(default_factory=dict)  # the request made unique, before placing

    @property
    def call(self) -> ApiCall:
        return self.outcome.call


def _unique(suite: SuiteSession, invalid: InvalidRequest) -> tuple[dict[str, Any], str]:
    """The drawn request, with one member it does not break made unique to this call by a token; and
    that token.

    An endpoint that wrongly accepts an invalid path or name may store a device whose serial breaks
    the model, which a conformant delete then refuses; a replay of the same input (Hypothesis replays
    to shrink) would meet that device and be judged on it. A fresh name, or a fresh path where the
    name is what is broken, keeps every call independent. The drawn input is what reports show.
    """
    params, token = dict(invalid.params), suite.unique_token()
    delimiter = path_shape().delimiter
    if invalid.violation.member == "VirtualMFADeviceName":
        params["Path"] = f"{delimiter}{token}{delimiter}"
    else:
        params["VirtualMFADeviceName"] = f"{params['VirtualMFADeviceName']}-{token}"
    return params, token


def _made_by(token: str, serial: str) -> bool:
    """Whether ``serial`` is a device of the request ``token`` made unique (`_unique`): the token is a
    path segment or a part of the name of its own (a token is never part of another: ``u1`` is not
    in ``-u12-``), whatever the endpoint did to the broken member."""
    around = f"[-{re.escape(path_shape().delimiter)}]"
    return re.search(f"{around}{re.escape(token)}(?={around}|$)", serial) is not None


@recorded
def gather(suite: SuiteSession, invalid: InvalidRequest) -> InvalidCreate:
    """Send the invalid create through the unvalidated client; a device it made is deleted again."""
    return _sent(suite, invalid)


def _sent(suite: SuiteSession, invalid: InvalidRequest) -> InvalidCreate:
    params, token = _unique(suite, invalid)
    with suite.create_device(params, validated=False) as outcome:
        if isinstance(outcome, Rejection):
            suite.held.setdefault(_REFUSED, set()).add(token)
        return InvalidCreate(invalid.violation, outcome, token=token, params=params)


@recorded
def gather_atomic(suite: SuiteSession, invalid: InvalidRequest, label: str) -> InvalidCreate:
    """Send the invalid create; if refused, note the devices that appeared anyway (removed again) and,
    where its path and name are valid, create that device for real: it must not exist already."""
    return _left_nothing(suite, _sent(suite, invalid), label)


def refusal_left_nothing(suite: SuiteSession, refused: InvalidCreate, label: str) -> InvalidCreate:
    """`gather_atomic` for a create already sent (`gather`'s observation): what it may have left is
    looked for, and its path and name created for real where they are valid. The reproduction replays
    the refused create, a listing (the one sent, or the earlier one looked in), and what followed."""
    with suite.recording() as calls:
        seen = _left_nothing(suite, refused, label)
    listed = any(call.operation == "list_virtual_mfa_devices" for call in calls)
    looked_in = () if listed else (suite.call("list_virtual_mfa_devices", {"AssignmentStatus": "Any"}),)
    return dataclasses.replace(seen, calls=(*refused.calls, *looked_in, *calls))


def _left_nothing(suite: SuiteSession, refused: InvalidCreate, label: str) -> InvalidCreate:
    outcome = refused.outcome
    if not isinstance(outcome, Rejection):
        return refused
    appeared = frozenset(
        serial for serial in _listed_after(suite, refused.token) if _made_by(refused.token, serial)
    )
    # Only devices the run never had (a token is never sent twice; said for safety's sake).
    new_serials = frozenset(serial for serial in appeared if not suite.tracker.known_device(serial))
    for serial in new_serials:  # left behind by the refused create: ours to remove
        suite.tracker.adopt_device(serial)
    seen = dataclasses.replace(refused, new_serials=new_serials)
    try:
        params = {key: value for key, value in refused.params.items() if key != "Tags"}
        if new_serials or not _recreatable(label, params, suite):
            return seen
        with suite.create_device(params) as recreate:
            return dataclasses.replace(seen, recreate=recreate)
    finally:
        for serial in new_serials:
            suite.tracker.release_device(serial)


def _listed_after(suite: SuiteSession, token: str) -> frozenset[str]:
    """The run's devices, in a listing taken after the refused create of ``token``: the last one looked
    in if it was taken after that create (a listing shows every refusal sent before it), else a new one."""
    kept: tuple[frozenset[str], frozenset[str]] | None = suite.held.get(_LISTED)
    if kept is None or token not in kept[1]:
        refused_before = frozenset(suite.held.get(_REFUSED, ()))
        kept = (suite.device_serials(), refused_before)
        suite.held[_LISTED] = kept
    return kept[0]


def _recreatable(label: str, params: dict[str, Any], suite: SuiteSession) -> bool:
    """The refused request's path and name are valid, and make a device that can be deleted again."""
    if label not in _PATH_AND_NAME_VALID:
        return False
    account = suite.identity.account_id or "0" * 12
    serial = serial_number(account, str(params.get("Path", "/")), str(params["VirtualMFADeviceName"]))
    return serial_is_valid(serial)
