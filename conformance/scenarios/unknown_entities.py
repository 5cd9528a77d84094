"""Requests naming a user or a device that does not exist: ``NoSuchEntity`` with the model's status (404).

Each lifecycle operation models ``NoSuchEntity`` among its errors; real AWS answers an unknown serial and
an unknown user so (SPEC-NOTES, "Observed on real AWS": delete, enable, deactivate). Every case names
exactly one missing entity: the other members of the request are valid, and refer to things that exist.
(TagMFADevice, UntagMFADevice and ListMFADeviceTags are judged by ``vmfa.tags.unknown-device``.)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.judging.error_tables import refused_with
from conformance.judging.outcomes import Outcome
from conformance.judging.registry import check
from conformance.scenarios.created_device.seed import no_totp_codes
from conformance.scenarios.probe_world import probe_world
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection, Reply
from conformance.session.devices import CreatedDevice
from conformance.session.suite import SuiteSession
from conformance.session.totp import seed_usable, totp_codes
from reports.model import Evidence
from strategies.names import virtual_mfa_device_names

__all__ = ["CASES", "NAMES", "UNKNOWN_ENTITY", "Case", "UnknownEntity", "gather", "unknown_entity_not_found"]

UNKNOWN_ENTITY = "lifecycle.unknown-entity"
_CODE = "NoSuchEntity"
_WRONG_CODES = "InvalidAuthenticationCode"


@dataclass(frozen=True)
class UnknownEntity:
    """A request naming one entity that does not exist (``missing``), and what came back."""

    call: ApiCall
    operation: str  # the API name, e.g. "DeactivateMFADevice"
    missing: str  # "the device" or "the user"
    answer: Rejection | None  # None: the request succeeded
    codes_computed: bool = True  # False: the request's codes could not be computed (a non-base32 seed)
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction


@dataclass(frozen=True)
class _World:
    user: str  # exists
    device: CreatedDevice  # exists, unassigned
    absent_user: str
    absent_serial: str

    def codes(self) -> dict[str, str]:
        return totp_codes(self.device.seed, time.time())

    @property
    def serial(self) -> str:
        assert self.device.serial_number is not None
        return self.device.serial_number


@dataclass(frozen=True)
class Case:
    """One operation, and which entity its request names that does not exist."""

    operation: str  # boto3's name
    api_name: str
    missing: str
    params: Callable[[_World], dict[str, Any]]

    @property
    def reads(self) -> bool:
        """A read (Get, List): it answers from what the endpoint shows, which may lag behind writes."""
        return self.api_name.startswith(("Get", "List"))

    def __str__(self) -> str:  # the case's name in test ids and in the report
        return f"{self.api_name}: {self.missing}"

    def __repr__(self) -> str:  # the memo's key for the case
        return f"Case({self})"


CASES = (
    Case(
        "enable_mfa_device",
        "EnableMFADevice",
        "the user",
        lambda w: {"UserName": w.absent_user, "SerialNumber": w.serial, **w.codes()},
    ),
    Case(
        "enable_mfa_device",
        "EnableMFADevice",
        "the device",
        lambda w: {"UserName": w.user, "SerialNumber": w.absent_serial, **w.codes()},
    ),
    Case(
        "deactivate_mfa_device",
        "DeactivateMFADevice",
        "the device",
        lambda w: {"UserName": w.user, "SerialNumber": w.absent_serial},
    ),
    Case(
        "deactivate_mfa_device",
        "DeactivateMFADevice",
        "the user",
        lambda w: {"UserName": w.absent_user, "SerialNumber": w.serial},
    ),
    Case(
        "resync_mfa_device",
        "ResyncMFADevice",
        "the device",
        lambda w: {"UserName": w.user, "SerialNumber": w.absent_serial, **w.codes()},
    ),
    Case("get_mfa_device", "GetMFADevice", "the device", lambda w: {"SerialNumber": w.absent_serial}),
    Case("list_mfa_devices", "ListMFADevices", "the user", lambda w: {"UserName": w.absent_user}),
    Case(
        "delete_virtual_mfa_device",
        "DeleteVirtualMFADevice",
        "the device",
        lambda w: {"SerialNumber": w.absent_serial},
    ),
)
# Two device names: one for the device that exists, one for the device deleted at once.
NAMES = st.tuples(*(virtual_mfa_device_names(serial_safe=True, max_length=20),) * 2).filter(
    lambda names: names[0] != names[1]
)


def gather(suite: SuiteSession, case: Case, names: tuple[str, str]) -> UnknownEntity | None:
    """A user and a device that exist, a second device deleted at once (a well-formed serial with
    nothing behind it) and a user name never created (shared by these probes on the aws profile while
    nothing changed them: `conformance.scenarios.probe_world`); then the case's request. None when a
    valid create was refused (judged elsewhere)."""
    with probe_world(suite, UNKNOWN_ENTITY, *names) as made:
        if made is None or made.absent_serial is None:
            return None
        seen = _probe(
            suite, case, _World(made.user, made.device, f"{made.user}-never-created", made.absent_serial)
        )
        made.after(suite, seen.answer)  # a request that went through may have changed the world
    return dataclasses.replace(seen, calls=made.story(suite, seen.calls))


@recorded
def _probe(suite: SuiteSession, case: Case, world: _World) -> UnknownEntity:
    params = case.params(world)
    if case.reads:  # a read must reflect the delete, which a lagging endpoint may not show yet
        reply = suite.settle(lambda: suite.send(case.operation, params), _refused)
    else:
        reply = suite.send(case.operation, params)
    computed = "AuthenticationCode1" not in params or seed_usable(world.device.seed)
    return UnknownEntity(reply.call, case.api_name, case.missing, reply.rejection, computed)


def _refused(reply: Reply) -> bool:
    return reply.rejection is not None


@check(
    id="vmfa.lifecycle.unknown-entity",
    operation="EnableMFADevice, DeactivateMFADevice, ResyncMFADevice, GetMFADevice, ListMFADevices, "
    "DeleteVirtualMFADevice",
    scenario=UNKNOWN_ENTITY,
    clause="Errors: NoSuchEntity",
    evidence=Evidence.MODEL,
)
def unknown_entity_not_found(seen: UnknownEntity) -> Outcome:
    """A request naming a device or a user that does not exist is refused with NoSuchEntity (404)."""
    if not seen.codes_computed and seen.answer is not None and seen.answer.code == _WRONG_CODES:
        # Which the endpoint checks first the documents do not say; with right codes it is the entity.
        return no_totp_codes()
    return refused_with(seen.operation, seen.answer, _CODE, f"{seen.missing} does not exist")
