"""What a successful CreateVirtualMFADevice gives the scenarios: the device, its secrets wrapped.

The raw response is taken apart the moment it arrives; from then on the seed and the QR image exist
only as `Secret` values, which no ``repr``, message or report can show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.session.calls import ApiCall
from conformance.session.secrets import Secret

__all__ = ["SECRET_MEMBERS", "CreatedDevice", "Identity", "created_device"]

SECRET_MEMBERS = ("Base32StringSeed", "QRCodePNG")


@dataclass(frozen=True)
class Identity:
    """Who the suite is on the endpoint: the account (from STS, when the endpoint offers it)."""

    account_id: str | None
    partition: str
    account_aliases: tuple[str, ...] = ()  # an alias may stand for the account in the QR label


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


def created_device(call: ApiCall, identity: Identity, member: dict[str, Any]) -> CreatedDevice:
    """The device of a create's ``VirtualMFADevice`` member (which is emptied: nothing raw remains)."""
    seed, qr_png = (member.pop(name, None) for name in SECRET_MEMBERS)
    serial_number = member.pop("SerialNumber", None)
    return CreatedDevice(
        call=call,
        identity=identity,
        serial_number=serial_number,
        seed=Secret(seed) if seed is not None else None,
        qr_png=Secret(qr_png) if qr_png is not None else None,
        other_members=frozenset(member),
    )
