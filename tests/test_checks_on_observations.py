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

from conformance.judging.error_tables import refused_with
from conformance.judging.outcomes import Info, Miss, Pass, Skip, Unsupported
from conformance.judging.registry import Check, check
from conformance.scenarios import all_checks
from conformance.scenarios.created_device import fresh_device, otpauth, qr_code, seed, serial_number
from conformance.scenarios.created_device.request import valid_request_accepted
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice, Identity
from conformance.session.secrets import Secret
from reports.model import Evidence

ACCOUNT = "123456789012"
GOOD_SEED = base64.b32encode(bytes(range(40)))  # 64 chars, 320 bits


def qr_png(text: str, count: int = 1, **colours: Any) -> bytes:
    images = [segno.make_qr(text) for _ in range(count)]
    buffers = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, kind="png", scale=4, **colours)
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
    aliases: tuple[str, ...] = (),
    other_members: frozenset[str] = frozenset(),
    **colours: Any,
) -> CreatedDevice:
    if png is None and uri is None:
        uri = f"otpauth://totp/{name}@{ACCOUNT}?secret={(seed_value or b'').decode()}"
    if png is None:
        png = qr_png(uri or "", **colours)
    params = {"Path": path, "VirtualMFADeviceName": name}
    return CreatedDevice(
        call=ApiCall("iam", "create_virtual_mfa_device", params, "http://127.0.0.1:1", "us-east-1"),
        identity=Identity(account, "aws", aliases),
        serial_number=serial if serial is not None else f"arn:aws:iam::{ACCOUNT}:mfa{path}{name}",
        seed=Secret(seed_value) if seed_value is not None else None,
        qr_png=Secret(png),
        other_members=other_members,
    )


def uri_with(query: str = "", label: str = f"alice@{ACCOUNT}") -> str:
    """The conformant URI with a different label, or with ``query`` appended after the secret."""
    return f"otpauth://totp/{label}?secret={GOOD_SEED.decode()}{query}"


CONFORMANT = device()

# (check, a device breaking exactly that check's rule)
BROKEN: list[tuple[Check[Any], Callable[[], CreatedDevice]]] = [
    (serial_number.serial_is_device_arn, lambda: device(serial=f"arn:aws:iam::{ACCOUNT}:mfa/alice")),
    (serial_number.serial_is_device_arn, lambda: device(serial="arn:aws:iam::999999999999:mfa/team/alice")),
    (seed.seed_is_base32, lambda: device(seed_value=GOOD_SEED[:-1] + b"1")),
    (seed.seed_is_base32, lambda: device(seed_value=b"abc def")),
    (seed.seed_min_entropy, lambda: device(seed_value=base64.b32encode(bytes(10)))),
    (seed.seed_aws_length, lambda: device(seed_value=base64.b32encode(bytes(20)))),
    (seed.seed_is_base32, lambda: device(seed_value=GOOD_SEED + b"========")),  # padding that pads nothing
    (seed.seed_aws_length, lambda: device(seed_value=base64.b32encode(bytes(41)))),  # padded, 72 characters
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
    # 16 grey levels of contrast: zbar reads it, zxing-cpp does not (tests/reference/artifacts.py)
    (qr_code.qr_decoders_agree, lambda: device(dark=(239, 239, 239))),
    (otpauth.qr_label, lambda: device(uri=uri_with(label="alice"))),
    (otpauth.qr_label, lambda: device(uri=uri_with(label="alice@999999999999"))),
    (otpauth.qr_label, lambda: device(uri=uri_with(label=f"AWS:alice@{ACCOUNT}"))),  # an issuer prefix
    (otpauth.qr_label, lambda: device(uri=uri_with(label=f"alice%2540{ACCOUNT}"))),  # encoded twice
    (otpauth.qr_otp_parameters, lambda: device(uri=uri_with("&digits=8"))),
    (otpauth.qr_otp_parameters, lambda: device(uri=uri_with("&algorithm=SHA256"))),
    (otpauth.qr_otp_parameters, lambda: device(uri=uri_with("&period=60"))),
    (otpauth.qr_pyotp_parses, lambda: device(uri=uri_with("&issuer=AWS&issuer=AWS"))),
    (otpauth.qr_pyotp_parses, lambda: device(uri=uri_with("&algorithm=sha1"))),  # SHA1, spelt as pyotp won't
    (otpauth.qr_pyotp_parses, lambda: device(uri=uri_with("&counter=x"))),
    (fresh_device.fresh_device_unassigned, lambda: device(other_members=frozenset({"EnableDate"}))),
    (fresh_device.fresh_device_unassigned, lambda: device(other_members=frozenset({"User", "Tags"}))),
]

# A broken device may also miss a check whose rule it breaks too, if that check only reports DEVIATION
# (observed evidence): a 10-byte seed is below RFC 4226's minimum *and* not AWS's 40 bytes.
ALSO_DEVIATES = {"vmfa.create.seed.min-128-bits": {"vmfa.create.seed.aws-length"}}


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
    broken = make()
    outcome = check(broken)
    assert isinstance(outcome, Miss)
    for text in (outcome.expected, outcome.received):
        assert GOOD_SEED.decode() not in text  # secrets are described, never shown
    also_missed = {
        other.id
        for other in all_checks()
        if other.scenario == "create.valid" and other is not check and isinstance(other(broken), Miss)
    }
    assert also_missed <= ALSO_DEVIATES.get(check.id, set()), "the device breaks more than one rule"


def test_lowercase_and_padded_base32_secret_still_matches() -> None:
    uri = f"otpauth://totp/alice@{ACCOUNT}?secret={GOOD_SEED.decode().lower()}"
    assert qr_code.qr_secret_matches_seed(device(uri=uri)) == Pass()


def test_qr_checks_decline_to_judge_an_image_that_is_not_a_png() -> None:
    broken = device(png=os.urandom(64))
    dependents = [c for c in all_checks() if c.scenario == "create.valid" and ".qr." in c.id]
    assert len(dependents) == 8
    for dependent in dependents:
        if dependent is not qr_code.qr_is_png:
            assert isinstance(dependent(broken), Skip), dependent.id


def test_an_image_without_the_png_signature_is_not_handed_to_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another format Pillow would load (a GIF here) is judged as before, "no PNG signature", and every
    check that needs a loaded PNG declines: without opening it (Pillow, failing its common formats,
    imports all of its format plugins)."""
    from PIL import Image

    from conformance.scenarios.created_device import qr_decoder

    gif = io.BytesIO()
    Image.new("L", (8, 8), 255).save(gif, format="GIF")
    opened: list[object] = []
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: opened.append(args))
    image = qr_decoder.decode_qr_png(gif.getvalue())
    assert (image.loaded, image.has_png_signature, image.symbols) == (False, False, ())
    outcome = qr_code.qr_is_png(device(png=gif.getvalue()))
    assert isinstance(outcome, Miss) and outcome.received.startswith("no PNG signature: <redacted: ")
    assert isinstance(qr_code.qr_single_symbol(device(png=gif.getvalue())), Skip)
    assert opened == []


def test_the_label_is_compared_percent_decoded() -> None:
    assert otpauth.qr_label(device(uri=uri_with(label=f"alice%40{ACCOUNT}"))) == Pass()
    plus = device(name="a+b", uri=uri_with(label=f"a%2Bb@{ACCOUNT}"))
    assert otpauth.qr_label(plus) == Pass()  # '+' in a path is a plus, not a space


def test_the_label_may_name_the_account_by_an_alias_or_any_account_without_sts() -> None:
    assert otpauth.qr_label(device(uri=uri_with(label="alice@my-alias"), aliases=("my-alias",))) == Pass()
    assert isinstance(otpauth.qr_label(device(uri=uri_with(label="alice@my-alias"))), Miss)
    assert otpauth.qr_label(device(account=None, uri=uri_with(label="alice@999999999999"))) == Pass()
    assert isinstance(otpauth.qr_label(device(account=None, uri=uri_with(label="alice@12"))), Miss)


def test_a_name_holding_at_makes_the_label_info_when_right_and_a_miss_when_wrong() -> None:
    right = device(name="a@b", uri=uri_with(label=f"a@b@{ACCOUNT}"))
    outcome = otpauth.qr_label(right)
    assert isinstance(outcome, Info)
    assert f"'a@b@{ACCOUNT}'" in outcome.note and "ambiguous" in outcome.note
    assert isinstance(otpauth.qr_label(device(name="a@b", uri=uri_with(label="a@b"))), Miss)


def test_pyotp_parses_leaves_what_other_checks_judge_to_them() -> None:
    hotp = device(uri=f"otpauth://hotp/alice@{ACCOUNT}?secret={GOOD_SEED.decode()}")
    short = device(seed_value=base64.b32encode(bytes(10)))
    for skipped in (hotp, short, device(uri=f"otpauth://totp/alice@{ACCOUNT}?issuer=x")):
        assert isinstance(otpauth.qr_pyotp_parses(skipped), Skip)


def test_pyotp_messages_that_may_quote_the_uri_are_withheld() -> None:
    wordy = device(uri=uri_with("&digits=six"))
    assert isinstance(otpauth.qr_otp_parameters(wordy), Miss)  # and pyotp cannot parse it either:
    outcome = otpauth.qr_pyotp_parses(wordy)
    assert isinstance(outcome, Miss) and "six" not in outcome.received
    assert outcome.received == "ValueError: a numeric parameter (digits, period or counter) is not an integer"
    duplicate = otpauth.qr_pyotp_parses(device(uri=uri_with("&issuer=AWS&issuer=AWS")))
    assert isinstance(duplicate, Miss) and duplicate.received == "ValueError: Duplicate issuer parameter"


def test_otp_parameters_at_their_defaults_pass() -> None:
    spelt_out = device(uri=uri_with("&algorithm=SHA1&digits=6&period=30&issuer=AWS"))
    for each in (otpauth.qr_otp_parameters, otpauth.qr_pyotp_parses, otpauth.qr_label):
        assert each(spelt_out) == Pass()


def test_decoders_disagree_on_an_image_only_zxing_reads() -> None:
    inverted = device(dark="white", light="black")  # zbar reads dark-on-light only
    outcome = qr_code.qr_decoders_agree(inverted)
    assert isinstance(outcome, Miss)
    assert outcome.received.startswith("zbar read no QR symbol; zxing-cpp read 1 QR symbol")
    two = device(png=qr_png(uri_with(), count=2))
    assert qr_code.qr_decoders_agree(two) == Pass()


def test_members_other_than_user_and_enable_date_are_not_judged_by_fresh_device() -> None:
    assert fresh_device.fresh_device_unassigned(device(other_members=frozenset({"Tags"}))) == Pass()


def test_serial_check_accepts_any_account_when_sts_is_absent() -> None:
    assert serial_number.serial_is_device_arn(device(account=None)) == Pass()
    outcome = serial_number.serial_is_device_arn(
        device(account=None, serial="arn:aws:iam::12:mfa/team/alice")
    )
    assert isinstance(outcome, Miss)


def test_valid_request_accepted_misses_on_a_rejection() -> None:
    rejected = Rejection(CONFORMANT.call, 400, "ValidationError", "no", "Sender")
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


@pytest.mark.parametrize(
    ("status", "code", "verdict"),
    [
        (404, "NoSuchEntity", Pass),
        (400, "NoSuchEntity", Miss),  # the right code with another status than the model's
        (404, "ValidationError", Miss),
        (None, "", Miss),  # the call succeeded
        (500, "", Unsupported),  # moto's HTML 500 for an operation it lacks
    ],
)
def test_refused_with_judges_code_status_and_missing_operations(
    status: int | None, code: str, verdict: type
) -> None:
    call = ApiCall("iam", "get_mfa_device", {"SerialNumber": "arn:aws:iam::1:mfa/x"}, None, "us-east-1")
    answer = None if status is None else Rejection(call, status, code, "", "")
    assert isinstance(refused_with("GetMFADevice", answer, "NoSuchEntity", "no such device"), verdict)
