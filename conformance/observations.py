"""What the checks look at: the request that was sent and what came back, secrets already wrapped.

Observations are built from a boto3 response the moment it arrives; the raw response is not kept,
so the seed and the QR image exist only as `Secret` values from then on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.redaction import Secret

__all__ = ["ApiCall", "CreateRejected", "CreatedDevice", "Identity"]


@dataclass(frozen=True)
class Identity:
    """Who the suite is on the endpoint: the account (from STS, when the endpoint offers it)."""

    account_id: str | None
    partition: str


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


@dataclass(frozen=True)
class CreateRejected:
    """A create the endpoint refused: what came back, for checks on rejections."""

    call: ApiCall
    status: int
    code: str
    message: str
    fault: str  # "Sender" or "Receiver", as the error response said (empty if absent)
