"""Assigning devices to users (enable, resync, deactivate, get, list) and the helper identities.

TOTP (RFC 6238, 30 s windows, 6 digits, SHA-1) is verified the way the EnableMFADevice reference asks
for it: two *consecutive* codes, AuthenticationCode1 for window t-1 and AuthenticationCode2 for window t.
A clock drift of one window either way is accepted. ResyncMFADevice needs a pair from a window later
than the last accepted one, so replaying the exact pair used before is ``403 InvalidAuthenticationCode``.

Choices where the documents are silent: a device that is not assigned to the named user is
``404 NoSuchEntity`` for deactivate, resync and GetMFADevice (GetMFADevice also for an unassigned
device); ListMFADevices without UserName lists the caller's (the account root's) devices: none.
"""

from __future__ import annotations

import hmac
import time

import pyotp

from .core import Context, Params, Result, handler, paged
from .protocol import ApiError
from .store import Device, now

__all__: list[str] = []

_DRIFT = (0, -1, 1)  # windows of clock skew tolerated, nearest first


def _matching_window(secret: str, code1: str, code2: str) -> int | None:
    """The window t of code2 when (code1, code2) are the codes of windows (t-1, t), near now."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time())
    for drift in _DRIFT:
        window = current + drift
        # bytes: compare_digest refuses str with non-ASCII characters (a mutant lets such codes through)
        first_ok = hmac.compare_digest(totp.generate_otp(window - 1).encode(), code1.encode())
        second_ok = hmac.compare_digest(totp.generate_otp(window).encode(), code2.encode())
        if first_ok and second_ok:
            return window
    return None


def _verify(ctx: Context, device: Device, params: Params, after: int | None) -> int | None:
    if not ctx.rules.verify_auth_codes:
        return device.last_counter
    if not ctx.rules.accept_valid_codes:
        raise ApiError("InvalidAuthenticationCode", "Authentication code for device is not valid.")
    window = _matching_window(device.secret, params["AuthenticationCode1"], params["AuthenticationCode2"])
    if window is None or (after is not None and window <= after):
        raise ApiError("InvalidAuthenticationCode", "Authentication code for device is not valid.")
    return window


def _assigned_device(ctx: Context, user_name: str, serial: str) -> Device:
    """The device ``serial`` if it is assigned to ``user_name``; both must exist (user checked first)."""
    ctx.store.user(user_name)
    device = ctx.store.device(serial)
    if device.user != user_name:
        raise ApiError("NoSuchEntity", f"MFA Device with serial number {serial} does not exist.")
    return device


@handler("EnableMFADevice")
def enable_mfa_device(ctx: Context, params: Params) -> Result:
    user = ctx.store.user(params["UserName"])
    device = ctx.store.device(params["SerialNumber"])
    if device.user is not None:
        same_user = device.user == user.name
        if ctx.rules.reject_enable_in_use if same_user else ctx.rules.reject_enable_other_user:
            raise ApiError("EntityAlreadyExists", "MFA Device is already in use.")
    device.last_counter = _verify(ctx, device, params, after=None)
    device.listed_user, device.assignment_changed = device.user, time.monotonic()
    device.user, device.enabled = user.name, now()
    return None


@handler("ResyncMFADevice")
def resync_mfa_device(ctx: Context, params: Params) -> Result:
    device = _assigned_device(ctx, params["UserName"], params["SerialNumber"])
    if not ctx.rules.resync_accepts_valid:
        raise ApiError("InvalidAuthenticationCode", "Authentication code for device is not valid.")
    device.last_counter = _verify(ctx, device, params, after=device.last_counter)
    return None


@handler("DeactivateMFADevice")
def deactivate_mfa_device(ctx: Context, params: Params) -> Result:
    name, serial = params["UserName"], params["SerialNumber"]
    ghost = ctx.store.dangling.get(serial)
    if ghost is not None and ghost.user == ctx.store.user(name).name:
        del ctx.store.dangling[serial]  # a deleted device the user's list kept (a mutant): now gone
        return None
    ctx.store.user(name)
    if ctx.store.device(serial).user != name and ctx.rules.deactivate_unassigned_error != "NoSuchEntity":
        raise ApiError(ctx.rules.deactivate_unassigned_error, "An internal error occurred.")  # a mutant
    device = _assigned_device(ctx, name, serial)
    if ctx.rules.deactivate_detaches_user:
        device.listed_user, device.assignment_changed = device.user, time.monotonic()
        device.user, device.enabled, device.last_counter = None, None, None
    return None


@handler("GetMFADevice", read=True)
def get_mfa_device(ctx: Context, params: Params) -> Result:
    serial = params["SerialNumber"]
    device = ctx.store.device(serial)
    wanted = params.get("UserName", device.user)
    if device.user is None or wanted != device.user or not ctx.rules.get_finds_enabled:
        raise ApiError("NoSuchEntity", f"MFA Device with serial number {serial} does not exist.")
    return {"UserName": device.user, "SerialNumber": device.serial, "EnableDate": device.enabled}


@handler("ListMFADevices", read=True)
def list_mfa_devices(ctx: Context, params: Params) -> Result:
    name = params.get("UserName")
    if name is not None:
        ctx.store.user(name)
    held = [*ctx.store.devices.values(), *ctx.store.dangling.values()]
    devices = [device for device in held if name is not None and device.user == name]
    if not ctx.rules.list_user_devices:
        devices = []
    shown, flags = paged(ctx, params, ("mfa", name), devices, lambda device: device.serial)
    entries = [{"UserName": d.user, "SerialNumber": d.serial, "EnableDate": d.enabled} for d in shown]
    return {"MFADevices": entries, **flags}


def _user_entry(ctx: Context, name: str) -> dict[str, object]:
    user = ctx.store.user(name)
    return {
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.user_id,
        "Arn": user.arn,
        "CreateDate": user.created,
    }


@handler("CreateUser")
def create_user(ctx: Context, params: Params) -> Result:
    name = params["UserName"]
    if name in ctx.store.users:
        raise ApiError("EntityAlreadyExists", f"User with name {name} already exists.")
    ctx.store.add_user(name, params.get("Path", "/"))
    return {"User": _user_entry(ctx, name)}


@handler("GetUser", read=True)
def get_user(ctx: Context, params: Params) -> Result:
    name = params.get("UserName")
    if name is None:
        # The caller is the account root here, which has no IAM user record to describe.
        raise ApiError("ValidationError", "Must specify userName when calling with non-User credentials")
    return {"User": _user_entry(ctx, name)}


@handler("DeleteUser")
def delete_user(ctx: Context, params: Params) -> Result:
    user = ctx.store.user(params["UserName"])
    held = [device for device in ctx.store.devices.values() if device.user == user.name]
    if held and ctx.rules.delete_user_with_device == "DeleteConflict":
        raise ApiError("DeleteConflict", "Cannot delete entity, must remove MFA device first.")
    if held and ctx.rules.delete_user_with_device == "breaks-store":
        ctx.store.broken = True  # the mutant: the device still names the user, and the store breaks on it
    elif held:  # the mutant releases-devices: the user's devices are released with it
        for device in held:
            device.user, device.enabled, device.last_counter = None, None, None
    del ctx.store.users[user.name]
    return None


@handler("ListUsers", read=True)
def list_users(ctx: Context, params: Params) -> Result:
    """The users whose path starts with ``PathPrefix`` (default ``/``), paged: what a sweeper lists."""
    prefix = params.get("PathPrefix", "/")
    users = [user for user in ctx.store.users.values() if user.path.startswith(prefix)]
    shown, flags = paged(ctx, params, ("users", prefix), users, lambda user: user.name)
    return {"Users": [_user_entry(ctx, user.name) for user in shown], **flags}


@handler("GetCallerIdentity", read=True)
def get_caller_identity(ctx: Context, params: Params) -> Result:
    account = ctx.account_id
    arn = ctx.store.caller_arn or f"arn:aws:iam::{account}:root"
    return {"UserId": account, "Account": account, "Arn": arn}
