"""CreateVirtualMFADevice on the conformant reference: outputs, input validation, atomicity."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .helpers import Clients, assert_error, new_device, qr_parts, qr_uri, seed_bytes, seed_text, serials

INVALID_PATH = (
    "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric "
    "characters and/or / characters."
)
BASE32 = re.compile(r"[A-Z2-7]+")


def test_default_path_serial_seed_and_qr(clients: Clients) -> None:
    device = new_device(clients.iam, "phone")

    assert device["SerialNumber"] == f"arn:aws:iam::{clients.account_id}:mfa/phone"
    assert set(device) == {"SerialNumber", "Base32StringSeed", "QRCodePNG", "Name"}
    assert len(seed_text(device)) == 64 and BASE32.fullmatch(seed_text(device))
    assert len(seed_bytes(device)) == 40
    assert device["QRCodePNG"].startswith(b"\x89PNG\r\n\x1a\n")
    expected = f"otpauth://totp/phone@{clients.account_id}?secret={seed_text(device)}"
    assert qr_uri(device["QRCodePNG"]) == expected


def test_every_create_gets_its_own_seed(clients: Clients) -> None:
    assert seed_text(new_device(clients.iam)) != seed_text(new_device(clients.iam))


@pytest.mark.parametrize("path", ["/", "/test-path/", "/test//double/", "/a/b/c/"])
def test_serial_includes_the_path(clients: Clients, path: str) -> None:
    device = new_device(clients.iam, "dev", Path=path)
    assert device["SerialNumber"] == f"arn:aws:iam::{clients.account_id}:mfa{path}dev"


def test_model_valid_name_symbols_are_accepted_and_percent_encoded_in_the_label(clients: Clients) -> None:
    name = "a+b=c,d.e@f-g_h"
    device = new_device(clients.iam, name)
    assert device["SerialNumber"].endswith(f":mfa/{name}")
    kind, label, query = qr_parts(device["QRCodePNG"])
    assert (kind, label, query) == ("totp", f"{name}@{clients.account_id}", {"secret": [seed_text(device)]})


def test_tags_given_at_creation_are_stored_sorted_by_key(clients: Clients) -> None:
    tags = [{"Key": "b", "Value": "2"}, {"Key": "A", "Value": ""}, {"Key": "é ü", "Value": "ß"}]
    device = new_device(clients.iam, Tags=tags)
    listed = clients.iam.list_mfa_device_tags(SerialNumber=device["SerialNumber"])["Tags"]
    assert listed == sorted(tags, key=lambda tag: tag["Key"])


def test_same_path_and_name_conflicts_and_other_path_does_not(clients: Clients) -> None:
    new_device(clients.iam, "twin", Path="/one/")
    assert_error(
        lambda: new_device(clients.iam, "twin", Path="/one/"),
        "EntityAlreadyExists",
        409,
        "MFA device already exists.",
    )
    # Documented choice: uniqueness is per path + name (the serial), so another path is a new device.
    other = new_device(clients.iam, "twin", Path="/two/")
    assert other["SerialNumber"].endswith(":mfa/two/twin")


_TOO_MANY_TAGS = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]


def _pattern_message(value: str, member: str, pattern: str) -> str:
    return (
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {pattern}"
    )


INVALID_CREATES: list[tuple[str, dict[str, Any], str, int, str]] = [
    ("path-no-leading-slash", {"Path": "invalid-path/"}, "ValidationError", 400, INVALID_PATH),
    ("path-no-trailing-slash", {"Path": "/invalid-path"}, "ValidationError", 400, INVALID_PATH),
    ("path-space", {"Path": "/a b/"}, "ValidationError", 400, INVALID_PATH),
    (
        "path-514",
        {"Path": "/" + "a" * 512 + "/"},
        "ValidationError",
        400,
        "1 validation error detected: Value at 'path' failed to satisfy constraint: "
        "Member must have length less than or equal to 512",
    ),
    (
        "name-unicode-letter",
        {"VirtualMFADeviceName": "é"},
        "ValidationError",
        400,
        _pattern_message("é", "virtualMFADeviceName", r"[\w+=,.@-]+"),
    ),
    (
        "name-missing",
        {"VirtualMFADeviceName": None},
        "ValidationError",
        400,
        "1 validation error detected: Value null at 'virtualMFADeviceName' failed to satisfy constraint: "
        "Member must not be null",
    ),
    (
        "tag-key-pattern",
        {"Tags": [{"Key": "bad#key", "Value": "v"}]},
        "ValidationError",
        400,
        _pattern_message("bad#key", "tags.1.member.key", r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"),
    ),
    (
        "tag-value-257",
        {"Tags": [{"Key": "k", "Value": "v" * 257}]},
        "ValidationError",
        400,
        "1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: "
        "Member must have length less than or equal to 256",
    ),
    (
        "tags-51",
        {"Tags": _TOO_MANY_TAGS},
        "ValidationError",
        400,
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: "
        "Member must have length less than or equal to 50",
    ),
    (
        "tags-duplicate-keys",
        {"Tags": [{"Key": "Env", "Value": "a"}, {"Key": "env", "Value": "b"}]},
        "InvalidInput",
        400,
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    ),
]


@pytest.mark.parametrize(
    ("params", "code", "status", "message"),
    [case[1:] for case in INVALID_CREATES],
    ids=[case[0] for case in INVALID_CREATES],
)
def test_invalid_create_is_rejected_and_leaves_nothing(
    clients: Clients, params: dict[str, Any], code: str, status: int, message: str
) -> None:
    request = {"VirtualMFADeviceName": "rejected", **params}
    request = {key: value for key, value in request.items() if value is not None}
    assert_error(lambda: clients.raw.create_virtual_mfa_device(**request), code, status, message)
    assert serials(clients.iam) == []


def test_several_violations_are_reported_together(clients: Clients) -> None:
    error = assert_error(
        lambda: clients.raw.create_virtual_mfa_device(
            VirtualMFADeviceName="ü", Tags=[{"Key": "k" * 129, "Value": "v"}]
        ),
        "ValidationError",
        400,
    )
    message = error.response["Error"]["Message"]
    assert message.startswith("2 validation errors detected: ")
    assert "'virtualMFADeviceName'" in message and "'tags.1.member.key'" in message


def test_the_endpoint_prints_and_logs_nothing(clients: Clients, capfd: pytest.CaptureFixture[str]) -> None:
    device = new_device(clients.iam, Tags=[{"Key": "k", "Value": "v"}])
    clients.iam.list_virtual_mfa_devices()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert seed_text(device) not in out + err
