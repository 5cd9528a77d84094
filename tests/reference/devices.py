"""Virtual MFA device resources: create, list, delete, and their tags.

Choices where the documents are silent (the suite reports these cases as INFO):
- Uniqueness is per serial number, i.e. per path + name. The API reference says the name "must be
  unique. Use with path to uniquely identify a virtual MFA device", so the same name on another path
  makes a second device; the same path + name is ``409 EntityAlreadyExists`` "MFA device already exists."
- Tag keys are compared case-insensitively (IAM's tagging rules). Tagging an existing key in another case
  overwrites the value and keeps the stored key's case; duplicate keys within one request are
  ``400 InvalidInput``.
- Tags are listed sorted by key ("The returned list of tags is sorted by tag key", ListMFADeviceTags).
"""

from __future__ import annotations

import time
from typing import Any

from .artifacts import Issued, issue
from .core import Context, Params, Result, handler, paged
from .model import IAM, operation
from .protocol import ApiError
from .store import Device, now
from .validation import Violation, input_violations, raise_for

__all__: list[str] = []

DUPLICATE_TAG_KEYS = "Duplicate tag keys found. Please note that Tag keys are case insensitive."


def _serial(ctx: Context, path: str, name: str) -> str:
    shown_path = path if ctx.rules.serial_includes_path else "/"
    return f"arn:aws:iam::{ctx.account_id}:mfa{shown_path}{name}"


def _has_duplicate_keys(tags: list[dict[str, str]]) -> bool:
    keys = [tag.get("Key", "").lower() for tag in tags]
    return len(keys) != len(set(keys))


def _tag_table(tags: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    return {tag["Key"].lower(): (tag["Key"], tag.get("Value", "")) for tag in tags}


def _only_tags_wrong(violations: list[Violation], duplicate_keys: bool) -> bool:
    tag_problem = duplicate_keys or any(v.member.startswith("tags") for v in violations)
    return tag_problem and all(v.member.startswith("tags") for v in violations)


def _new_device(ctx: Context, path: str, name: str, tags: list[dict[str, str]]) -> tuple[Device, Issued]:
    issued = issue(ctx.rules, name, ctx.account_id)
    ctx.issued.append(issued)
    device = Device(_serial(ctx, path, name), name, path, issued.secret, issued.seed_text, _tag_table(tags))
    ctx.store.devices[device.serial] = device
    return device, issued


@handler("CreateVirtualMFADevice", validates_itself=True)
def create_virtual_mfa_device(ctx: Context, params: Params) -> Result:
    rules = ctx.rules
    violations = input_violations(operation(IAM, "CreateVirtualMFADevice"), params, rules)
    path: str = params.get("Path", "/")
    name: str = params.get("VirtualMFADeviceName", "")
    tags: list[dict[str, str]] = params.get("Tags", [])
    duplicate_keys = rules.reject_duplicate_tag_keys and _has_duplicate_keys(tags)
    leaky = not rules.atomic_create and _only_tags_wrong(violations, duplicate_keys)
    if leaky and _serial(ctx, path, name) not in ctx.store.devices:
        # The mutant: the device is written before its tags are judged, and left there.
        _new_device(ctx, path, name, [])
    raise_for(violations)
    if duplicate_keys:
        raise ApiError("InvalidInput", DUPLICATE_TAG_KEYS)
    if rules.reject_duplicate_devices and _serial(ctx, path, name) in ctx.store.devices:
        raise ApiError("EntityAlreadyExists", "MFA device already exists.")
    device, issued = _new_device(ctx, path, name, tags if rules.store_create_tags else [])
    answer: dict[str, Any] = {
        "SerialNumber": device.serial,
        "Base32StringSeed": issued.seed_text.encode("ascii"),
        "QRCodePNG": issued.qr_png,
    }
    if not rules.fresh_device_unassigned:
        answer["EnableDate"] = now()  # the mutant: the device looks enabled, though no user holds it
    return {"VirtualMFADevice": answer}


def _listed_user(ctx: Context, device: Device) -> str | None:
    """The device's user as the listing shows it: the one before a change younger than the lag."""
    if time.monotonic() - device.assignment_changed < ctx.rules.list_lag_s:
        return device.listed_user if device.listed_user in ctx.store.users else None
    return device.user


def _list_entry(ctx: Context, device: Device) -> dict[str, Any]:
    entry: dict[str, Any] = {"SerialNumber": device.serial}
    listed_user = _listed_user(ctx, device)
    if listed_user is not None and ctx.rules.list_entry_shows_user:
        user = ctx.store.users[listed_user]
        entry["EnableDate"] = device.enabled
        entry["User"] = {
            "Path": user.path,
            "UserName": user.name,
            "UserId": user.user_id,
            "Arn": user.arn,
            "CreateDate": user.created,
        }
    if not ctx.rules.list_omits_secrets:
        entry["Base32StringSeed"] = device.seed_text.encode("ascii")
    return entry


def _matches(status: str, user: str | None) -> bool:
    if status == "Assigned":
        return user is not None
    if status == "Unassigned":
        return user is None
    return True


@handler("ListVirtualMFADevices", read=True)
def list_virtual_mfa_devices(ctx: Context, params: Params) -> Result:
    status = params.get("AssignmentStatus", ctx.rules.list_default_status)
    if status != "Unassigned":
        ctx.store.fail_if_broken()
    devices = list(ctx.store.devices.values())
    if ctx.rules.honour_assignment_status:
        devices = [device for device in devices if _matches(status, _listed_user(ctx, device))]
    shown, flags = paged(ctx, params, ("virtual-mfa", status), devices, lambda device: device.serial)
    return {"VirtualMFADevices": [_list_entry(ctx, device) for device in shown], **flags}


@handler("DeleteVirtualMFADevice")
def delete_virtual_mfa_device(ctx: Context, params: Params) -> Result:
    ctx.store.fail_if_broken()
    device = ctx.store.device(params["SerialNumber"])
    if device.user is not None and ctx.rules.delete_assigned == "refused":
        raise ApiError("DeleteConflict", "MFA device is in use. Deactivate the device before deleting it.")
    if ctx.rules.delete_removes:
        del ctx.store.devices[device.serial]
        if device.user is not None and ctx.rules.delete_assigned == "deleted-leaving-entry":
            ctx.store.dangling[device.serial] = device  # the mutant: the user's list keeps it
    return None


@handler("TagMFADevice")
def tag_mfa_device(ctx: Context, params: Params) -> Result:
    device = ctx.store.device(params["SerialNumber"])
    tags: list[dict[str, str]] = params["Tags"]
    if _has_duplicate_keys(tags):
        raise ApiError("InvalidInput", DUPLICATE_TAG_KEYS)
    merged = dict(device.tags)
    for lowered, (key, value) in _tag_table(tags).items():
        if lowered in merged:
            kept_key, old_value = merged[lowered]
            merged[lowered] = (kept_key, value if ctx.rules.tag_overwrites_value else old_value)
        elif ctx.rules.tag_adds_new_keys:
            merged[lowered] = (key, value)
    limit = operation(IAM, "TagMFADevice").input_shape.members["Tags"].metadata["max"]
    if ctx.rules.enforce_tag_limit and len(merged) > limit:
        raise ApiError("LimitExceeded", f"The number of tags has reached the maximum limit of {limit}.")
    device.tags = merged
    return None


@handler("UntagMFADevice")
def untag_mfa_device(ctx: Context, params: Params) -> Result:
    device = ctx.store.device(params["SerialNumber"])
    if ctx.rules.untag_removes:
        for key in params["TagKeys"]:
            device.tags.pop(key.lower(), None)
    return None


@handler("ListMFADeviceTags", read=True)
def list_mfa_device_tags(ctx: Context, params: Params) -> Result:
    device = ctx.store.device(params["SerialNumber"])
    tags = list(device.tags.values())
    shown, flags = paged(ctx, params, ("tags", device.serial), tags, lambda tag: tag[0])
    return {"Tags": [{"Key": key, "Value": value} for key, value in shown], **flags}
