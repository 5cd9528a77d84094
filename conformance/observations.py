"""What the checks look at: the request that was sent and what came back, secrets already wrapped.

Observations are built from a boto3 response the moment it arrives; the raw response is not kept,
so the seed and the QR image exist only as `Secret` values from then on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.redaction import Secret
from strategies.violations import Violation

__all__ = [
    "NON_AWS_BODY",
    "ApiCall",
    "AssignmentProbe",
    "ContradictionProbe",
    "CreatedDevice",
    "DuplicateCreate",
    "GotDevice",
    "Identity",
    "InvalidCreate",
    "ListedDevice",
    "ListedTags",
    "Listing",
    "Rejection",
    "UserDevices",
    "refusal",
]


@dataclass(frozen=True)
class Identity:
    """Who the suite is on the endpoint: the account (from STS, when the endpoint offers it)."""

    account_id: str | None
    partition: str
    account_aliases: tuple[str, ...] = ()  # an alias may stand for the account in the QR label


@dataclass(frozen=True)
class ApiCall:
    """A request as sent, rendered as a one-line boto3 reproduction for reports."""

    service: str
    operation: str  # boto3's snake_case method name
    params: Mapping[str, Any]
    endpoint_url: str | None
    region: str
    validated: bool = True

    def reproduction(self) -> str:
        endpoint = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        config = "" if self.validated else ", config=Config(parameter_validation=False)"
        arguments = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return (
            f"boto3.client({self.service!r}, region_name={self.region!r}{endpoint}{config})"
            f".{self.operation}({arguments})"
        )


@dataclass(frozen=True)
class CreatedDevice:
    """A successful CreateVirtualMFADevice: the request, and the device it returned."""

    call: ApiCall
    identity: Identity
    serial_number: str | None
    seed: Secret | None  # Base32StringSeed, as boto3 returns it: the base32 text, base64 removed
    qr_png: Secret | None  # QRCodePNG, raw PNG bytes
    other_members: frozenset[str]  # members of VirtualMFADevice beyond the three above

    @property
    def name(self) -> str:
        return str(self.call.params["VirtualMFADeviceName"])

    @property
    def path(self) -> str:
        return str(self.call.params.get("Path", "/"))


# Error codes and answers by which an endpoint says it lacks an operation. moto answers an IAM action it
# does not implement with an HTML "500 Internal Server Error" page, which is no AWS error document.
_NOT_IMPLEMENTED_CODES = frozenset(
    {"InvalidAction", "NotImplemented", "NotImplementedException", "UnknownOperationException"}
)
NON_AWS_BODY = "an answer that is not an AWS error document (no Code, no Message)"


@dataclass(frozen=True)
class Rejection:
    """A request the endpoint refused: what came back, for checks on errors."""

    call: ApiCall
    status: int
    code: str  # empty when the answer was not an AWS error document at all
    message: str
    fault: str  # "Sender" or "Receiver", as the error response said (empty if absent)

    @property
    def not_implemented(self) -> bool:
        """The endpoint does not offer the operation (as opposed to refusing this request)."""
        return (
            self.code in _NOT_IMPLEMENTED_CODES
            or self.status == 501
            or (not self.code and self.status >= 500)
        )

    def describe(self) -> str:
        return f"HTTP {self.status} {self.code or '(no code)'}: {self.message}"


@dataclass(frozen=True)
class InvalidCreate:
    """A create whose request breaks exactly one constraint (``violation``), and what came back."""

    violation: Violation
    outcome: CreatedDevice | Rejection
    new_serials: frozenset[str] = frozenset()  # devices that appeared although it was rejected
    recreate: CreatedDevice | Rejection | None = None  # the same path and name sent again, valid

    @property
    def call(self) -> ApiCall:
        return self.outcome.call


@dataclass(frozen=True)
class DuplicateCreate:
    """A device created, then a second create of the same name (on the same or another path)."""

    first: CreatedDevice
    second: CreatedDevice | Rejection

    @property
    def call(self) -> ApiCall:
        return self.second.call


@dataclass(frozen=True)
class ListedTags:
    """Tags sent with a create, and what ListMFADeviceTags then returned for the device."""

    device: CreatedDevice
    sent: tuple[tuple[str, str], ...]
    listed: tuple[tuple[str, str], ...]

    @property
    def call(self) -> ApiCall:
        return self.device.call


@dataclass(frozen=True)
class ContradictionProbe:
    """A request the model allows whose serial the model forbids, and what the endpoint made of it."""

    reason: str
    outcome: CreatedDevice | Rejection
    deletion: str  # "deleted", or how the endpoint refused to delete the device

    @property
    def call(self) -> ApiCall:
        return self.outcome.call


@dataclass(frozen=True)
class ListedDevice:
    """One entry of ListVirtualMFADevices: which members it has, never their values (a leaked seed
    stays a member name here)."""

    serial_number: str
    members: frozenset[str]
    user_name: str | None


Listing = Mapping[str, Mapping[str, ListedDevice]]  # AssignmentStatus -> serial -> entry


@dataclass(frozen=True)
class GotDevice:
    """What GetMFADevice answered: the user and serial it names, and which members it has."""

    user_name: str | None
    serial_number: str | None
    members: frozenset[str]


UserDevices = frozenset[str] | Rejection  # ListMFADevices(UserName): the serials listed, or the refusal


@dataclass(frozen=True)
class AssignmentProbe:
    """One device through its assignment: enabled for a user, listed, read back, enabled again, deleted
    while assigned, deactivated, listed again, deleted, listed again; and a second device offered wrong
    codes.

    Each step's answer is ``None`` (it succeeded) or the `Rejection`.
    """

    device: CreatedDevice
    user_name: str
    enabled: Rejection | None  # None: EnableMFADevice succeeded
    listed_assigned: Listing  # every filter, after the enable
    got: GotDevice | Rejection  # GetMFADevice, after the enable
    user_devices: UserDevices  # ListMFADevices(UserName), after the enable
    enabled_again: Rejection | None
    deleted_while_assigned: Rejection | None
    deactivated: Rejection | None
    listed_after: Listing  # every filter, after the deactivation
    user_devices_after: UserDevices  # ListMFADevices(UserName), after the deactivation
    deleted: Rejection | None  # DeleteVirtualMFADevice after the deactivation
    listed_deleted: Listing  # every filter, after that delete
    wrong_codes: Rejection | None  # the second device, offered wrong codes

    @property
    def call(self) -> ApiCall:
        return self.device.call

    def entry(self, listing: Listing, status: str) -> ListedDevice | None:
        return listing.get(status, {}).get(self.device.serial_number or "")


def refusal(answer: object) -> Rejection | None:
    """The `Rejection` an answer is, or None when the call succeeded (any other answer)."""
    return answer if isinstance(answer, Rejection) else None
