"""Checks on ``Base32StringSeed``: the TOTP shared secret, base32 text wrapped in base64 on the wire.

boto3 removes the base64 wrapping (the member is a blob), so the bytes checked here are the base32
text itself. Base32 is RFC 4648 section 6 (the model's documentation cites RFC 3548, which 4648
obsoletes); the minimum size of an HOTP/TOTP secret is RFC 4226 requirement R6 (128 bits). Real AWS
issues 40-byte seeds (64 base32 characters, SPEC-NOTES "Observed"): any other size is a deviation,
not a failure, since no document fixes it.
"""

from __future__ import annotations

import base64
import binascii
import string
from typing import Protocol

from conformance.judging.outcomes import Miss, Outcome, Pass, Skip
from conformance.judging.registry import check, depends_on
from conformance.scenarios.created_device import CREATED
from conformance.session.devices import CreatedDevice
from conformance.session.secrets import describe_secret
from reports.model import Evidence

__all__ = [
    "MIN_SECRET_BYTES",
    "SentCodes",
    "base32_seed",
    "codes_computed",
    "decoded_seed",
    "no_totp_codes",
    "normalised_base32",
    "seed_aws_length",
    "seed_is_base32",
    "seed_min_entropy",
]

_OPERATION = "CreateVirtualMFADevice"
_CLAUSE = "CreateVirtualMFADevice: VirtualMFADevice.Base32StringSeed"
_BASE32_ALPHABET = frozenset(string.ascii_uppercase + "234567")  # RFC 4648, table 3
MIN_SECRET_BYTES = 128 // 8  # RFC 4226, R6: "The length of the shared secret MUST be at least 128 bits"
# Observed on AWS (SPEC-NOTES): 40-byte seeds, 64 base32 characters (40 is a multiple of 5: no padding).
_AWS_SEED_BYTES = 40
_AWS_SEED_CHARS = 64


def normalised_base32(value: bytes) -> bytes:
    """Base32 compared as a decoder sees it: case-insensitive, padding optional."""
    return value.upper().rstrip(b"=")


def decoded_seed(value: bytes) -> bytes | None:
    """The secret's bytes, or None if ``value`` is not strict RFC 4648 base32."""
    try:
        text = value.decode("ascii")
    except UnicodeDecodeError:
        return None
    body = text.rstrip("=")
    if not body or not set(body) <= _BASE32_ALPHABET:
        return None
    padding = len(text) - len(body)
    if padding and padding != -len(body) % 8:  # RFC 4648 s6: padding only completes the last 8-char group
        return None
    try:
        return base64.b32decode(body + "=" * (-len(body) % 8))
    except binascii.Error:
        return None


@check(
    id="vmfa.create.seed.base32",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def seed_is_base32(device: CreatedDevice) -> Outcome:
    """Base32StringSeed is RFC 4648 base32 text that decodes cleanly."""
    if device.seed is None:
        return Miss("a Base32StringSeed member", "no Base32StringSeed in the response")
    if decoded_seed(device.seed.reveal()) is not None:
        return Pass()
    return Miss("RFC 4648 base32 (A-Z, 2-7, optional = padding)", describe_secret(device.seed.reveal()))


def base32_seed(device: CreatedDevice) -> Skip | None:
    """Requirement: the answer has a Base32StringSeed, and it is base32 (vmfa.create.seed.base32)."""
    if device.seed is None:
        return Skip("the response has no Base32StringSeed")
    if decoded_seed(device.seed.reveal()) is None:
        return Skip("the seed is not base32 (vmfa.create.seed.base32)")
    return None


def no_totp_codes() -> Skip:
    """Why a check that needs TOTP codes cannot judge a device whose seed is not base32: the codes sent
    were `conformance.session.totp.UNCOMPUTED`, wrong for any seed."""
    return depends_on(seed_is_base32, "no TOTP code can be computed from a seed that is not base32")


class SentCodes(Protocol):
    codes_computed: bool  # the codes the scenario sent were computed from the device's seed


def codes_computed(seen: SentCodes) -> Skip | None:
    """Requirement: the codes the scenario sent were computed from the seed (`no_totp_codes`)."""
    return None if seen.codes_computed else no_totp_codes()


def _secret(device: CreatedDevice) -> bytes:
    """The seed's bytes, for a check that requires `base32_seed`."""
    secret = decoded_seed(device.seed.reveal()) if device.seed is not None else None
    assert secret is not None, "requires base32_seed"
    return secret


@check(
    id="vmfa.create.seed.min-128-bits",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
    requires=[base32_seed],
)
def seed_min_entropy(device: CreatedDevice) -> Outcome:
    """The seed holds at least 128 bits (RFC 4226, requirement R6)."""
    secret = _secret(device)
    if len(secret) >= MIN_SECRET_BYTES:
        return Pass()
    return Miss(f"at least {MIN_SECRET_BYTES * 8} bits", f"{len(secret) * 8} bits")


@check(
    id="vmfa.create.seed.aws-length",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.OBSERVED,
    requires=[base32_seed],
)
def seed_aws_length(device: CreatedDevice) -> Outcome:
    """The seed is 40 bytes, 64 base32 characters, as real AWS issues it."""
    secret = _secret(device)
    if len(secret) == _AWS_SEED_BYTES:  # strict base32 of 40 bytes is always 64 characters
        return Pass()
    return Miss(
        f"{_AWS_SEED_BYTES} bytes in {_AWS_SEED_CHARS} base32 characters (as observed on AWS)",
        f"{len(secret)} bytes in {len(device.seed or b'')} base32 characters",
    )
