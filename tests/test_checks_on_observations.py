"""Each check of a created device, judged on hand-made observations: it passes on a conformant
device and misses (or declines to judge) on one that breaks exactly its rule.

These are the fast, offline half of rule 3; tests/test_conformance_against_reference.py is the
end-to-end half (the whole suite against the reference endpoint and its mutants).
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from typing import Any

import pytest
import segno

from conformance.checks import qr_code, seed, serial_number
from conformance.checks.create_request import valid_request_accepted
from conformance.checks.registry import Check, Miss, Pass, Skip, all_checks, check
from conformance.observations import ApiCall, CreatedDevice, CreateRejected, Identity
from conformance.redaction import Secret
from reports.model import Evidence

ACCOUNT = "123456789012"
GOOD_SEED = base64.b32encode(bytes(range(40)))  # 64 chars, 320 bits


def qr_png(text: str, count: int = 1) -> bytes:
    images = [segno.make_qr(text) for _ in range(count)]
    buffers = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, kind="png", scale=4)
        buffers.append(buffer.getvalue())
    if count == 1:
        return buffers[0]
    from PIL import Image

    tiles = [Image.open(io.BytesIO(data)) for data in buffers]
    sheet = Image.new("L", (sum(tile.width for tile in tiles), max(tile.height for tile in tiles)), 255)
    offset = 0
    for tile in tiles:
        sheet.paste(tile, (offset, 0))
        offset += tile.width
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()


def device(
    *,
    path: str = "/team/",
    name: str = "alice",
    serial: str | None = None,
    seed_value: bytes | None = GOOD_SEED,
    png: bytes | None = None,
    uri: str | None = None,
    account: str | None = ACCOUNT,
) -> CreatedDevice:
    if png is None and uri is None:
        uri = f"otpauth://totp/{name}@{ACCOUNT}?secret={(seed_value or b'').decode()}"
    if png is None:
        png = qr_png(uri or "")
    params = {"Path": path, "VirtualMFADeviceName": name}
    return CreatedDevice(
        call=ApiCall("iam", "create_virtual_mfa_device", params, "http://127.0.0.1:1", "us-east-1"),
        identity=Identity(account, "aws"),
        serial_number=serial if serial is not None else f"arn:aws:iam::{ACCOUNT}:mfa{path}{name}",
        seed=Secret(seed_value) if seed_value is not None else None,
        qr_png=Secret(png),
        other_members=frozenset(),
    )


CONFORMANT = device()

# (check, a device breaking exactly that check's rule)
BROKEN: list[tuple[Check[Any], Callable[[], CreatedDevice]]] = [
    (serial_number.serial_is_device_arn, lambda: device(serial=f"arn:aws:iam::{ACCOUNT}:mfa/alice")),
    (serial_number.serial_is_device_arn, lambda: device(serial="arn:aws:iam::999999999999:mfa/team/alice")),
    (seed.seed_is_base32, lambda: device(seed_value=GOOD_SEED[:-1] + b"1")),
    (seed.seed_is_base32, lambda: device(seed_value=b"abc def")),
    (seed.seed_min_entropy, lambda: device(seed_value=base64.b32encode(bytes(10)))),
    (qr_code.qr_is_png, lambda: device(png=os.urandom(64))),
    (qr_code.qr_is_png, lambda: device(png=b"\x89PNG\r\n\x1a\n" + os.urandom(64))),
    (qr_code.qr_single_symbol, lambda: device(png=qr_png("otpauth://totp/a@b?secret=AAAA", count=2))),
    (
        qr_code.qr_is_totp_uri,
        lambda: device(uri=f"otpauth://hotp/alice@{ACCOUNT}?secret={GOOD_SEED.decode()}"),
    ),
    (qr_code.qr_is_totp_uri, lambda: device(uri=f"https://example.com/?secret={GOOD_SEED.decode()}")),
    (
        qr_code.qr_secret_matches_seed,
        lambda: device(uri=f"otpauth://totp/alice@{ACCOUNT}?secret=JBSWY3DPEHPK3PXP"),
    ),
    (qr_code.qr_secret_matches_seed, lambda: device(uri=f"otpauth://totp/alice@{ACCOUNT}?issuer=x")),
]


@pytest.mark.parametrize("check", [c for c in all_checks() if c.scenario == "create.valid"], ids=str)
def test_every_device_check_passes_on_a_conformant_device(check: Check[Any]) -> None:
    assert check(CONFORMANT) == Pass()


def test_every_device_check_has_a_breaking_example() -> None:
    covered = {check.id for check, _ in BROKEN}
    assert covered == {c.id for c in all_checks() if c.scenario == "create.valid"}


@pytest.mark.parametrize(("check", "make"), BROKEN, ids=[check.id for check, _ in BROKEN])
def test_check_misses_on_the_device_that_breaks_its_rule(
    check: Check[Any], make: Callable[[], CreatedDevice]
) -> None:
    outcome = check(make())
    assert isinstance(outcome, Miss)
    for text in (outcome.expected, outcome.received):
        assert GOOD_SEED.decode() not in text  # secrets are described, never shown


def test_lowercase_and_padded_base32_secret_still_matches() -> None:
    uri = f"otpauth://totp/alice@{ACCOUNT}?secret={GOOD_SEED.decode().lower()}"
    assert qr_code.qr_secret_matches_seed(device(uri=uri)) == Pass()


def test_qr_checks_decline_to_judge_an_image_that_is_not_a_png() -> None:
    broken = device(png=os.urandom(64))
    for dependent in (qr_code.qr_single_symbol, qr_code.qr_is_totp_uri, qr_code.qr_secret_matches_seed):
        assert isinstance(dependent(broken), Skip)


def test_serial_check_accepts_any_account_when_sts_is_absent() -> None:
    assert serial_number.serial_is_device_arn(device(account=None)) == Pass()
    outcome = serial_number.serial_is_device_arn(
        device(account=None, serial="arn:aws:iam::12:mfa/team/alice")
    )
    assert isinstance(outcome, Miss)


def test_valid_request_accepted_misses_on_a_rejection() -> None:
    rejected = CreateRejected(CONFORMANT.call, 400, "ValidationError", "no", "Sender")
    assert valid_request_accepted(CONFORMANT) == Pass()
    assert isinstance(valid_request_accepted(rejected), Miss)


def test_check_ids_are_unique_and_dotted() -> None:
    ids = [c.id for c in all_checks()]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("vmfa.") and i == i.lower() for i in ids)


def test_a_duplicate_check_id_is_refused_at_registration() -> None:
    register = check(
        id="vmfa.create.qr.png",
        operation="CreateVirtualMFADevice",
        scenario="create.valid",
        clause="x",
        evidence=Evidence.MODEL,
    )
    with pytest.raises(ValueError, match="duplicate check id"):
        register(lambda device: Pass())
