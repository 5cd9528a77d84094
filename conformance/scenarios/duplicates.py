"""Checks on creating a device whose name is taken: on the same path, and on another path.

With the ``aws`` profile (`conformance.session.economy`) the same-path duplicate is sent while the
device of the created-device checks exists (`created_twice`): one create serves three scenarios, the
first answer judged as a created device, its tags (when it has some) as the tags given at creation
(`conformance.scenarios.create_tags`), and the second answer as a duplicate, instead of a create and a
delete of the same request for each.

Same path and name: the model gives CreateVirtualMFADevice the error ``EntityAlreadyExists`` (409) and
the reference says the name "must be unique"; real AWS was recorded answering 409 EntityAlreadyExists
"MFA device already exists.". The same name on another path is where the documents are silent ("Use
with path to uniquely identify a virtual MFA device"): the suite records what happens, as INFO.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.judging.error_tables import judge_status
from conformance.judging.outcomes import Info, Miss, Outcome, Pass, Skip
from conformance.judging.registry import check
from conformance.scenarios.create_tags import ListedTags, listed_tags
from conformance.scenarios.recorded import recorded
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.suite import SuiteSession
from reports.model import Evidence
from strategies.paths import path_shape

__all__ = [
    "OTHER_PATH",
    "SAME_PATH",
    "CreatedTwice",
    "DuplicateCreate",
    "created_twice",
    "duplicate_on_other_path",
    "duplicate_rejected",
    "duplicate_status",
    "gather",
    "other_path",
    "same_path",
]

_OPERATION = "CreateVirtualMFADevice"
_CLAUSE = "CreateVirtualMFADevice: VirtualMFADeviceName (must be unique) and Errors"
_TAKEN = "EntityAlreadyExists"


SAME_PATH = "create.duplicate"
OTHER_PATH = "create.duplicate.other-path"


@dataclass(frozen=True)
class DuplicateCreate:
    """A device created, then a second create of the same name (on the same or another path)."""

    first: CreatedDevice
    second: CreatedDevice | Rejection
    calls: tuple[ApiCall, ...] = ()  # every call the gather sent, for the reproduction

    @property
    def call(self) -> ApiCall:
        return self.second.call


def other_path(params: Mapping[str, Any]) -> str:
    """A path other than the request's: the default one, or a path one level down from it."""
    delimiter = path_shape().delimiter
    path = str(params.get("Path", delimiter))
    return delimiter if path != delimiter else f"{delimiter}other{delimiter}"


@recorded
def gather(suite: SuiteSession, params: Mapping[str, Any], second_path: str | None) -> DuplicateCreate | None:
    """Create a device, then the same name again (on ``second_path``, or the same path); both deleted
    afterwards. None when the first, valid create was refused (judged elsewhere)."""
    with suite.create_device(params) as first:
        if not isinstance(first, CreatedDevice):
            return None
        again = dict(params) if second_path is None else {**params, "Path": second_path}
        with suite.create_device(again) as second:
            return DuplicateCreate(first, second)


@dataclass(frozen=True)
class CreatedTwice:
    """A valid create (``first``) and, once it made a device, the same request again (``second``)."""

    first: CreatedDevice | Rejection
    second: CreatedDevice | Rejection | None
    tags: ListedTags | None = None  # what ListMFADeviceTags gave for the first (a request with tags)
    calls: tuple[ApiCall, ...] = ()


@recorded
def created_twice(suite: SuiteSession, params: Mapping[str, Any]) -> CreatedTwice:
    """Create a device from ``params``, list its tags if it was given some, then create the same path
    and name again; both deleted afterwards. The first answer is what the created-device checks judge
    (`conformance.scenarios.created_device` creates and deletes it, nothing else), the tags what the
    tags-at-creation check judges, the pair what the same-path checks judge (`same_path`)."""
    with suite.create_device(params) as first:
        if not (isinstance(first, CreatedDevice) and first.serial_number):
            return CreatedTwice(first, None)
        tags = listed_tags(suite, first, params) if params.get("Tags") else None
        with suite.create_device(dict(params)) as second:
            return CreatedTwice(first, second, tags)


def same_path(twice: CreatedTwice) -> DuplicateCreate | None:
    """The same-path duplicate `created_twice` observed; None when the first create was refused."""
    if not isinstance(twice.first, CreatedDevice) or twice.second is None:
        return None
    return DuplicateCreate(twice.first, twice.second, twice.calls)


@check(
    id="vmfa.create.duplicate.rejected",
    operation=_OPERATION,
    scenario=SAME_PATH,
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def duplicate_rejected(seen: DuplicateCreate) -> Outcome:
    """Creating the same path and name again is refused with EntityAlreadyExists."""
    if isinstance(seen.second, Rejection) and seen.second.code == _TAKEN:
        return Pass()
    received = seen.second.describe() if isinstance(seen.second, Rejection) else "HTTP 200: a device"
    return Miss(f"{_TAKEN}: the device exists already", received)


@check(
    id="vmfa.create.duplicate.status",
    operation=_OPERATION,
    scenario=SAME_PATH,
    clause=_CLAUSE,
    evidence=Evidence.MODEL,
)
def duplicate_status(seen: DuplicateCreate) -> Outcome:
    """The refusal has the HTTP status the model gives its error code."""
    if not isinstance(seen.second, Rejection):
        return Skip("the duplicate was accepted (vmfa.create.duplicate.rejected)")
    return judge_status(_OPERATION, seen.second, "vmfa.create.duplicate.rejected")


@check(
    id="vmfa.create.duplicate.other-path",
    operation=_OPERATION,
    scenario=OTHER_PATH,
    clause=_CLAUSE,
    evidence=Evidence.NONE,
)
def duplicate_on_other_path(seen: DuplicateCreate) -> Outcome:
    """The same name on another path: recorded, the documents do not say."""
    if isinstance(seen.second, Rejection):
        return Info(f"the same name on another path is refused: {seen.second.describe()}")
    if seen.second.serial_number == seen.first.serial_number:
        return Info("the same name on another path is accepted with the first device's serial number")
    return Info("the same name on another path is accepted as a second device")
