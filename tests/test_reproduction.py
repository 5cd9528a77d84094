"""A finding's reproduction is a runnable script of the whole sequence: fresh names, references to what
it created, codes computed from the seed and never pasted. Offline here (the script is read, compiled
and run against a fake client); tests/test_conformance_against_reference.py runs real ones again."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.judging.outcomes import Miss
from conformance.judging.registry import Check, CheckMiss
from conformance.judging.verdicts import ItemRecord, Judge
from conformance.session.calls import ApiCall
from conformance.session.reproduction import reproduction
from conformance.session.totp import TotpCode, shifted
from reports.model import Evidence

URL = "http://127.0.0.1:4566"
SERIAL = "arn:aws:iam::123456789012:mfa/team/phone-u7"
SEED = b"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # 160 bits: pyotp takes no less than 112


def call(operation: str, validated: bool = True, **params: Any) -> ApiCall:
    return ApiCall("iam", operation, params, URL, "us-east-1", validated)


SEQUENCE = [
    call("create_user", UserName="vmfa-conformance-u6"),
    call("create_virtual_mfa_device", VirtualMFADeviceName="phone-u7", Path="/team/"),
    call(
        "enable_mfa_device",
        UserName="vmfa-conformance-u6",
        SerialNumber=SERIAL,
        AuthenticationCode1=TotpCode("123456", -1, False),
        AuthenticationCode2=TotpCode(shifted("654321"), 0, True),
    ),
    call("list_mfa_devices", UserName="vmfa-conformance-u6"),
    call("list_mfa_devices", UserName="vmfa-conformance-u6"),  # a polled read: once in the script
    call("list_mfa_devices", UserName="vmfa-conformance-u6", Marker="opaque-from-the-run"),
    call("deactivate_mfa_device", UserName="vmfa-conformance-u6-never-created", SerialNumber=SERIAL),
    call("create_virtual_mfa_device", False, VirtualMFADeviceName="bad name", Path="/u8/"),
]


def test_the_script_is_python_and_replays_every_call_once() -> None:
    script = reproduction(SEQUENCE)
    ast.parse(script)
    body = script.split("def reproduce():")[1].split("\n\n\n")[0]
    sent = [line for line in body.splitlines() if "send(" in line]
    assert len(sent) == len(SEQUENCE) - 1
    assert script.rstrip().endswith("reproduce()")


def test_codes_are_computed_from_the_seed_never_pasted() -> None:
    script = reproduction(SEQUENCE)
    assert "123456" not in script and shifted("654321") not in script and "654321" not in script
    assert "AuthenticationCode1=code(device1, -1), AuthenticationCode2=code(device1, 0, wrong=True)" in script
    assert "pyotp.TOTP(device['Base32StringSeed'].decode())" in script


def test_names_are_fresh_and_references_follow_what_the_script_created() -> None:
    script = reproduction(SEQUENCE)
    assert "user1 = 'vmfa-conformance-' + fresh + 'u6'" in script
    assert "VirtualMFADeviceName='phone-' + fresh + 'u7'" in script
    assert "SerialNumber=device1.get('SerialNumber')" in script and SERIAL not in script
    assert "UserName=user1 + '-never-created'" in script
    assert "Marker=page.get('Marker')" in script and "opaque-from-the-run" not in script
    # the broken member of an invalid request is sent as it was; the token is in the path
    assert (
        "send(raw, 'create_virtual_mfa_device', VirtualMFADeviceName='bad name', Path='/' + fresh" in script
    )


def test_a_valid_create_without_a_token_gets_fresh_appended_where_the_serial_has_room() -> None:
    short = reproduction([call("create_virtual_mfa_device", VirtualMFADeviceName="tagged")])
    assert "VirtualMFADeviceName='tagged' + fresh" in short
    full = "a" * 200
    long = reproduction(
        [call("create_virtual_mfa_device", VirtualMFADeviceName=full, Path="/" + "b" * 40 + "/")]
    )
    assert f"VirtualMFADeviceName='{full}'," in long  # at the serial's budget: sent as drawn


def test_credentials_are_the_dummy_ones_for_an_emulator_and_the_default_chain_for_aws() -> None:
    assert "aws_access_key_id='testing'" in reproduction(SEQUENCE)
    on_aws = reproduction([ApiCall("iam", "list_virtual_mfa_devices", {}, None, "us-east-1")])
    assert "aws_access_key_id" not in on_aws and "AWS itself" in on_aws


def test_the_script_runs_and_prints_each_answer_without_raising(capsys: pytest.CaptureFixture[str]) -> None:
    """Run against stand-in clients: an error answer is printed, and the next call is still sent."""

    class Client:
        def __getattr__(self, operation: str) -> Any:
            def answer(**params: Any) -> dict[str, Any]:
                if operation == "deactivate_mfa_device":
                    error = {"Error": {"Code": "NoSuchEntity"}, "ResponseMetadata": {"HTTPStatusCode": 404}}
                    raise ClientError(error, operation)
                if operation == "create_virtual_mfa_device":
                    return {"VirtualMFADevice": {"SerialNumber": "s", "Base32StringSeed": SEED}}
                return {"ResponseMetadata": {}}

            return answer

    script = reproduction(SEQUENCE).replace("boto3.client(", "(lambda *a, **k: Client())(")
    exec(compile(script, "reproduction", "exec"), {"Client": Client, "__name__": "__main__"})
    printed = capsys.readouterr().out
    assert "deactivate_mfa_device -> 404 {'Code': 'NoSuchEntity'}" in printed
    assert printed.count("create_virtual_mfa_device -> 200") == 2  # the script went on
    assert SEED.decode() not in printed  # answers are shown without their secrets


def test_nothing_to_reproduce_is_empty() -> None:
    assert reproduction([]) == ""


def test_the_verdict_replays_the_observation_or_the_narrower_sequence_a_miss_names() -> None:
    """A miss that names its calls is reproduced by those; else the observation's ``calls``; else its
    ``call``."""

    @dataclass(frozen=True)
    class Seen:
        calls: tuple[ApiCall, ...]
        narrowed: tuple[ApiCall, ...]

    def miss(seen: Seen) -> Miss:
        return Miss("expected", "received", seen.narrowed)

    check = Check("t.narrow", "Op", "test", "clause", Evidence.MODEL, "title", miss)
    judge = Judge(ItemRecord())
    for narrowed, shown in ((SEQUENCE[:2], 2), ((), len(SEQUENCE) - 1)):
        with pytest.raises(CheckMiss) as raised:
            judge(check, Seen(tuple(SEQUENCE), tuple(narrowed)))
        body = raised.value.request_text.split("def reproduce():")[1].split("\n\n\n")[0]
        assert len([line for line in body.splitlines() if "send(" in line]) == shown
