"""Sending an invalid create, and what is observed of it: `InvalidCreate`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.suite import SuiteSession
from strategies.paths import path_shape
from strategies.serials import serial_is_valid, serial_number
from strategies.violations import CREATE_LABELS, InvalidRequest, Violation

__all__ = ["ATOMIC", "INVALID", "LABELS", "InvalidCreate", "gather", "gather_atomic"]

INVALID = "create.invalid"
ATOMIC = "create.invalid.atomic"
LABELS = [spec.label for spec in CREATE_LABELS]
# Labels whose request keeps a valid path and name: after the refusal, the same device can be created.
_PATH_AND_NAME_VALID = [spec.label for spec in CREATE_LABELS if spec.member.startswith("Tags")]


@dataclass(frozen=True)
class InvalidCreate:
    """A create whose request breaks exactly one constraint (``violation``), and what came back."""

    violation: Violation
    outcome: CreatedDevice | Rejection
    new_serials: frozenset[str] = frozenset()  # devices that appeared although it was rejected
    recreate: CreatedDevice | Rejection | None = None  # the same path and name sent again, valid
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.outcome.call


def _unique(suite: SuiteSession, invalid: InvalidRequest) -> dict[str, Any]:
    """The drawn request, with one member it does not break made unique to this call.

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
    return params


@recorded
def gather(suite: SuiteSession, invalid: InvalidRequest) -> InvalidCreate:
    """Send the invalid create through the unvalidated client; a device it made is deleted again."""
    with suite.create_device(_unique(suite, invalid), validated=False) as outcome:
        return InvalidCreate(invalid.violation, outcome)


@recorded
def gather_atomic(suite: SuiteSession, invalid: InvalidRequest, label: str) -> InvalidCreate:
    """Send the invalid create; if refused, note the devices that appeared anyway (removed again) and,
    where its path and name are valid, create that device for real: it must not exist already."""
    params = _unique(suite, invalid)
    before = suite.device_serials()
    with suite.create_device(params, validated=False) as outcome:
        if not isinstance(outcome, Rejection):
            return InvalidCreate(invalid.violation, outcome)
        # Only devices the run never had: a lagging list may still show one that an earlier example
        # created and deleted a moment ago, which the older list ``before`` did not show yet.
        appeared = suite.device_serials() - before
        new_serials = frozenset(serial for serial in appeared if not suite.tracker.known_device(serial))
        for serial in new_serials:  # left behind by the refused create: ours to remove
            suite.tracker.adopt_device(serial)
        try:
            recreate_params = {key: value for key, value in params.items() if key != "Tags"}
            if new_serials or not _recreatable(label, recreate_params, suite):
                return InvalidCreate(invalid.violation, outcome, new_serials)
            with suite.create_device(recreate_params) as recreate:
                return InvalidCreate(invalid.violation, outcome, new_serials, recreate)
        finally:
            for serial in new_serials:
                suite.tracker.release_device(serial)


def _recreatable(label: str, params: dict[str, Any], suite: SuiteSession) -> bool:
    """The refused request's path and name are valid, and make a device that can be deleted again."""
    if label not in _PATH_AND_NAME_VALID:
        return False
    account = suite.identity.account_id or "0" * 12
    serial = serial_number(account, str(params.get("Path", "/")), str(params["VirtualMFADeviceName"]))
    return serial_is_valid(serial)
