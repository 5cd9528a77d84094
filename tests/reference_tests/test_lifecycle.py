"""Enable, resync, deactivate, get, delete on the conformant reference; codes from explicit times."""

from __future__ import annotations

import time
from typing import Any

import pytest

from .helpers import Clients, assert_error, auth_codes, new_device

WINDOW = 30  # RFC 6238 default time step, the one IAM uses


@pytest.fixture
def user_and_device(clients: Clients) -> tuple[str, dict[str, Any]]:
    clients.iam.create_user(UserName="alice")
    return "alice", new_device(clients.iam, "phone")


def _enable(clients: Clients, user: str, device: dict[str, Any], at: float | None = None) -> None:
    clients.iam.enable_mfa_device(
        UserName=user, SerialNumber=device["SerialNumber"], **auth_codes(device, at)
    )


def test_enable_get_list_deactivate_delete(
    clients: Clients, user_and_device: tuple[str, dict[str, Any]]
) -> None:
    user, device = user_and_device
    serial = device["SerialNumber"]
    assert clients.iam.list_mfa_devices(UserName=user)["MFADevices"] == []

    _enable(clients, user, device)
    (listed,) = clients.iam.list_mfa_devices(UserName=user)["MFADevices"]
    assert (listed["UserName"], listed["SerialNumber"]) == (user, serial) and "EnableDate" in listed
    got = clients.iam.get_mfa_device(SerialNumber=serial)
    assert (got["UserName"], got["SerialNumber"]) == (user, serial)

    assert_error(lambda: clients.iam.delete_virtual_mfa_device(SerialNumber=serial), "DeleteConflict", 409)
    assert_error(lambda: clients.iam.delete_user(UserName=user), "DeleteConflict", 409)

    clients.iam.deactivate_mfa_device(UserName=user, SerialNumber=serial)
    assert clients.iam.list_mfa_devices(UserName=user)["MFADevices"] == []
    unassigned = clients.iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert unassigned == [{"SerialNumber": serial}]
    clients.iam.delete_virtual_mfa_device(SerialNumber=serial)
    clients.iam.delete_user(UserName=user)
    assert clients.iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_enable_errors(clients: Clients, user_and_device: tuple[str, dict[str, Any]]) -> None:
    user, device = user_and_device
    serial = device["SerialNumber"]
    codes = auth_codes(device)
    assert_error(
        lambda: clients.iam.enable_mfa_device(UserName="nobody", SerialNumber=serial, **codes),
        "NoSuchEntity",
        404,
        "The user with name nobody cannot be found.",
    )
    missing = f"arn:aws:iam::{clients.account_id}:mfa/missing"
    assert_error(
        lambda: clients.iam.enable_mfa_device(UserName=user, SerialNumber=missing, **codes),
        "NoSuchEntity",
        404,
        f"MFA Device with serial number {missing} does not exist.",
    )
    wrong = auth_codes(device, time.time() - 100 * WINDOW)
    assert_error(
        lambda: clients.iam.enable_mfa_device(UserName=user, SerialNumber=serial, **wrong),
        "InvalidAuthenticationCode",
        403,
    )
    swapped = {
        "AuthenticationCode1": codes["AuthenticationCode2"],
        "AuthenticationCode2": codes["AuthenticationCode1"],
    }
    assert_error(
        lambda: clients.iam.enable_mfa_device(UserName=user, SerialNumber=serial, **swapped),
        "InvalidAuthenticationCode",
        403,
    )
    short = {"AuthenticationCode1": "12345", "AuthenticationCode2": "123456"}
    assert_error(
        lambda: clients.raw.enable_mfa_device(UserName=user, SerialNumber=serial, **short),
        "ValidationError",
        400,
    )
    letters = {"AuthenticationCode1": "12345a", "AuthenticationCode2": "123456"}
    assert_error(
        lambda: clients.raw.enable_mfa_device(UserName=user, SerialNumber=serial, **letters),
        "ValidationError",
        400,
    )

    _enable(clients, user, device)
    clients.iam.create_user(UserName="bob")
    assert_error(
        lambda: clients.iam.enable_mfa_device(UserName="bob", SerialNumber=serial, **auth_codes(device)),
        "EntityAlreadyExists",
        409,
        "MFA Device is already in use.",
    )


@pytest.mark.parametrize(("shift", "accepted"), [(-1, True), (1, True), (-3, False), (3, False)])
def test_one_window_of_clock_drift(
    clients: Clients, user_and_device: tuple[str, dict[str, Any]], shift: int, accepted: bool
) -> None:
    user, device = user_and_device
    now = time.time()
    if now % WINDOW > WINDOW - 2:
        # Keep the server's window the same as ours, so the shift is exactly what the test says.
        time.sleep(WINDOW - now % WINDOW + 0.05)
        now = time.time()
    moment = now + shift * WINDOW
    if accepted:
        _enable(clients, user, device, moment)
    else:
        assert_error(lambda: _enable(clients, user, device, moment), "InvalidAuthenticationCode", 403)


def test_resync_needs_fresh_codes(clients: Clients, user_and_device: tuple[str, dict[str, Any]]) -> None:
    user, device = user_and_device
    serial = device["SerialNumber"]
    moment = time.time()
    used = auth_codes(device, moment)
    clients.iam.enable_mfa_device(UserName=user, SerialNumber=serial, **used)
    assert_error(
        lambda: clients.iam.resync_mfa_device(UserName=user, SerialNumber=serial, **used),
        "InvalidAuthenticationCode",
        403,
    )
    clients.iam.resync_mfa_device(UserName=user, SerialNumber=serial, **auth_codes(device, moment + WINDOW))


def test_deactivate_errors(clients: Clients, user_and_device: tuple[str, dict[str, Any]]) -> None:
    user, device = user_and_device
    assert_error(
        lambda: clients.iam.deactivate_mfa_device(UserName="nobody", SerialNumber=device["SerialNumber"]),
        "NoSuchEntity",
        404,
        "The user with name nobody cannot be found.",
    )
    missing = f"arn:aws:iam::{clients.account_id}:mfa/nonexistent-mfa"
    assert_error(
        lambda: clients.iam.deactivate_mfa_device(UserName=user, SerialNumber=missing),
        "NoSuchEntity",
        404,
        f"MFA Device with serial number {missing} does not exist.",
    )
    # Documented choice: a device not assigned to the user is not found for that user.
    assert_error(
        lambda: clients.iam.deactivate_mfa_device(UserName=user, SerialNumber=device["SerialNumber"]),
        "NoSuchEntity",
        404,
    )


def test_delete_unknown_device(clients: Clients) -> None:
    missing = f"arn:aws:iam::{clients.account_id}:mfa/nonexistent-device"
    assert_error(
        lambda: clients.iam.delete_virtual_mfa_device(SerialNumber=missing),
        "NoSuchEntity",
        404,
        f"MFA Device with serial number {missing} does not exist.",
    )


def test_users(clients: Clients) -> None:
    created = clients.iam.create_user(UserName="carol", Path="/team/")["User"]
    assert created["Arn"] == f"arn:aws:iam::{clients.account_id}:user/team/carol"
    assert created["UserId"].startswith("AIDA")
    assert clients.iam.get_user(UserName="carol")["User"] == created
    assert_error(lambda: clients.iam.create_user(UserName="carol"), "EntityAlreadyExists", 409)
    clients.iam.delete_user(UserName="carol")
    assert_error(lambda: clients.iam.get_user(UserName="carol"), "NoSuchEntity", 404)
    assert_error(lambda: clients.iam.list_mfa_devices(UserName="carol"), "NoSuchEntity", 404)
