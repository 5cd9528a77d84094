"""The rules the reference endpoint follows, and the mutants that each break exactly one of them.

A conformance check is only worth something if it can fail. Each mutant is the conformant endpoint with
one rule switched, so a test can show "this check passes on the reference and fails on mutant X".
The one-rule guarantee is structural: a mutant *is* a single ``(field, value)`` override of ``Rules``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["MUTANTS", "Rules", "rules_for"]


@dataclass(frozen=True)
class Rules:
    """Every switchable behaviour; the defaults are the conformant ones."""

    # CreateVirtualMFADevice outputs
    qr_is_png: bool = True
    qr_symbols: int = 1  # how many QR codes the PNG holds
    qr_secret_matches_seed: bool = True
    qr_label_has_account: bool = True
    qr_otp_type: Literal["totp", "hotp"] = "totp"
    qr_digits: int | None = None  # None: no digits parameter, i.e. the default of 6
    qr_issuer_parameters: int = 0  # how many issuer=AWS parameters the URI carries (AWS's has none)
    qr_full_contrast: bool = True  # black modules on white; False: faint grey ones (see artifacts)
    seed_bytes: int = 40
    seed_alphabet_valid: bool = True
    # "hex": Base32StringSeed is 32 characters of hex text and QRCodePNG 2 bytes, as MiniStack 1.5.33 has
    # them; codes are verified against a seed the client never sees
    seed_encoding: Literal["base32", "hex"] = "base32"
    serial_includes_path: bool = True
    fresh_device_unassigned: bool = True  # the create answer carries no User and no EnableDate
    # CreateVirtualMFADevice inputs
    enforce_path_pattern: bool = True
    reject_space_in_path: bool = True  # False: U+0020, just below the Path class's first range, passes
    enforce_path_length: bool = True
    name_word_is_ascii: bool = True
    accept_plus_in_name: bool = True
    store_create_tags: bool = True
    enforce_create_tag_count: bool = True
    reject_duplicate_tag_keys: bool = True
    atomic_create: bool = True
    reject_duplicate_devices: bool = True
    # errors
    status_overrides: tuple[tuple[str, int], ...] = ()
    validation_error_code: str = "ValidationError"  # the code validation errors are answered with
    # listing
    honour_assignment_status: bool = True
    paging_complete: bool = True
    reject_unknown_marker: bool = True
    # "html-500": a Marker never issued crashes the listing: an HTML 500 page, no AWS error document
    unknown_marker_error: Literal["ValidationError", "html-500"] = "ValidationError"
    validate_list_params: bool = True  # MaxItems range, AssignmentStatus enum
    list_default_status: str = "Any"  # what ListVirtualMFADevices lists without an AssignmentStatus
    last_page_flag_correct: bool = True
    list_omits_secrets: bool = True
    list_entry_shows_user: bool = True  # an assigned device's entry carries EnableDate and User
    list_lag_s: float = 0.0  # how long ListVirtualMFADevices shows a device's assignment as it was
    # lifecycle
    verify_auth_codes: bool = True
    accept_valid_codes: bool = True
    resync_accepts_valid: bool = True
    validate_code_format: bool = True  # AuthenticationCode length and pattern
    reject_enable_in_use: bool = True  # enabling again for the user who holds the device
    reject_enable_other_user: bool = True  # enabling for another user than the one who holds it
    # DeleteVirtualMFADevice of an assigned device: refused; deleted; or deleted while the user's
    # ListMFADevices keeps an entry for it
    delete_assigned: Literal["refused", "deleted", "deleted-leaving-entry"] = "refused"
    deactivate_unassigned_error: str = "NoSuchEntity"  # a device not assigned to the user named
    validate_serial_numbers: bool = True  # SerialNumber's length and pattern, in every operation
    deactivate_detaches_user: bool = True
    delete_removes: bool = True
    get_finds_enabled: bool = True
    list_user_devices: bool = True
    # tags after creation
    untag_removes: bool = True
    tag_adds_new_keys: bool = True
    tag_overwrites_value: bool = True
    enforce_tag_limit: bool = True
    # DeleteUser of a user holding an MFA device: refused; or accepted, the user's devices released; or
    # accepted with the devices still naming the user (damage: the store breaks on them)
    delete_user_with_device: Literal["DeleteConflict", "releases-devices", "breaks-store"] = "DeleteConflict"


@dataclass(frozen=True)
class _Mutant:
    field: str
    value: Any
    description: str


_MUTANT_TABLE: dict[str, _Mutant] = {
    "qr-not-png": _Mutant("qr_is_png", False, "QRCodePNG is random bytes, not a PNG."),
    "qr-two-symbols": _Mutant("qr_symbols", 2, "QRCodePNG holds two QR codes side by side."),
    "qr-wrong-secret": _Mutant(
        "qr_secret_matches_seed", False, "The QR code encodes a different secret than Base32StringSeed."
    ),
    "qr-label-no-account": _Mutant(
        "qr_label_has_account", False, "The QR label is the device name without '@<account>'."
    ),
    "qr-hotp": _Mutant("qr_otp_type", "hotp", "The QR code holds an otpauth://hotp/ URI instead of totp."),
    "qr-8-digits": _Mutant("qr_digits", 8, "The QR URI carries digits=8."),
    "qr-duplicate-issuer": _Mutant(
        "qr_issuer_parameters", 2, "The QR URI carries issuer=AWS twice (pyotp refuses a repeated parameter)."
    ),
    "qr-faint": _Mutant(
        "qr_full_contrast",
        False,
        "The QR modules are faint grey on white: zbar reads the code, ZXing's binarizer sees a blank image.",
    ),
    "seed-20-bytes": _Mutant(
        "seed_bytes", 20, "The seed is 20 random bytes (160 bits, 32 base32 chars), not AWS's 40; QR matches."
    ),
    "seed-10-bytes": _Mutant(
        "seed_bytes", 10, "The seed is 10 random bytes (16 base32 chars); the QR matches it."
    ),
    "seed-invalid-char": _Mutant(
        "seed_alphabet_valid", False, "Base32StringSeed holds a character outside the RFC 4648 alphabet."
    ),
    "hex-seed": _Mutant(
        "seed_encoding",
        "hex",
        "Base32StringSeed is 32 hex characters, not base32, and QRCodePNG 2 bytes (MiniStack 1.5.33).",
    ),
    "serial-drops-path": _Mutant("serial_includes_path", False, "SerialNumber omits the device path."),
    "fresh-device-has-enable-date": _Mutant(
        "fresh_device_unassigned", False, "The create answer carries an EnableDate, as if already enabled."
    ),
    "path-pattern-not-enforced": _Mutant(
        "enforce_path_pattern", False, "A Path that breaks the model pattern is accepted."
    ),
    "path-accepts-space": _Mutant(
        "reject_space_in_path",
        False,
        "A Path holding U+0020, just below the model's \\u0021-\\u007E, is accepted as if it were valid.",
    ),
    "path-length-not-enforced": _Mutant(
        "enforce_path_length", False, "A Path longer than the model maximum is accepted."
    ),
    "name-unicode-word-accepted": _Mutant(
        "name_word_is_ascii", False, "Device names are matched with Python's Unicode \\w."
    ),
    "name-plus-rejected": _Mutant(
        "accept_plus_in_name", False, "A device name containing '+' (valid in the model) is rejected."
    ),
    "tags-dropped": _Mutant("store_create_tags", False, "Tags given at creation are silently ignored."),
    "tags-51-accepted": _Mutant(
        "enforce_create_tag_count", False, "More tags than the model maximum are accepted at creation."
    ),
    "tags-duplicate-keys-accepted": _Mutant(
        "reject_duplicate_tag_keys", False, "Duplicate tag keys at creation are accepted."
    ),
    "failed-create-leaves-device": _Mutant(
        "atomic_create", False, "A create rejected for its tags still stores the device."
    ),
    "duplicates-accepted": _Mutant(
        "reject_duplicate_devices", False, "Creating the same path+name again overwrites the first device."
    ),
    "entity-already-exists-status-400": _Mutant(
        "status_overrides", (("EntityAlreadyExists", 400),), "EntityAlreadyExists is answered with HTTP 400."
    ),
    "no-such-entity-status-400": _Mutant(
        "status_overrides", (("NoSuchEntity", 400),), "NoSuchEntity is answered with HTTP 400."
    ),
    "validation-as-500": _Mutant(
        "validation_error_code", "ServiceFailure", "Validation errors are answered as 500 ServiceFailure."
    ),
    "validation-code-unknown": _Mutant(
        "validation_error_code",
        "BadRequest",
        "Validation errors carry the code BadRequest, which IAM never uses.",
    ),
    "validation-as-invalid-input": _Mutant(
        "validation_error_code", "InvalidInput", "Validation errors are answered as 400 InvalidInput."
    ),
    "validation-status-409": _Mutant(
        "status_overrides", (("ValidationError", 409),), "ValidationError is answered with HTTP 409."
    ),
    "list-ignores-assignment-status": _Mutant(
        "honour_assignment_status", False, "ListVirtualMFADevices ignores AssignmentStatus."
    ),
    "paging-drops-last": _Mutant(
        "paging_complete", False, "The last page reached through a Marker loses its last entry."
    ),
    "list-defaults-to-assigned": _Mutant(
        "list_default_status",
        "Assigned",
        "ListVirtualMFADevices without an AssignmentStatus lists only assigned devices (the default is Any).",
    ),
    "unknown-marker-accepted": _Mutant(
        "reject_unknown_marker", False, "A Marker never issued is taken as no Marker: the first page."
    ),
    "unknown-marker-html-500": _Mutant(
        "unknown_marker_error",
        "html-500",
        "A Marker never issued is answered with an HTML 500 page (an endpoint crashing on client input).",
    ),
    "list-params-not-validated": _Mutant(
        "validate_list_params",
        False,
        "ListVirtualMFADevices accepts any MaxItems (clamped) and any AssignmentStatus (as Any).",
    ),
    "last-page-truncated": _Mutant(
        "last_page_flag_correct", False, "The last page says IsTruncated=true and carries a Marker."
    ),
    "list-leaks-seed": _Mutant(
        "list_omits_secrets", False, "ListVirtualMFADevices entries carry Base32StringSeed."
    ),
    "eventually-consistent": _Mutant(
        "list_lag_s",
        1.0,
        "ListVirtualMFADevices shows a (de)assignment only 1 s after it: conformant, if eventually so.",
    ),
    "list-entry-omits-user": _Mutant(
        "list_entry_shows_user", False, "An assigned device's list entry carries neither EnableDate nor User."
    ),
    "delete-noop": _Mutant(
        "delete_removes", False, "DeleteVirtualMFADevice answers 200 but the device stays listed."
    ),
    "get-mfa-device-not-found": _Mutant(
        "get_finds_enabled", False, "GetMFADevice answers 404 NoSuchEntity for an enabled device."
    ),
    "list-mfa-devices-empty": _Mutant(
        "list_user_devices", False, "ListMFADevices lists no device for a user who has one."
    ),
    "valid-codes-rejected": _Mutant(
        "accept_valid_codes", False, "Enable and resync refuse even two correct consecutive codes."
    ),
    "resync-rejects-valid": _Mutant(
        "resync_accepts_valid", False, "ResyncMFADevice refuses even fresh consecutive codes."
    ),
    "malformed-codes-as-wrong": _Mutant(
        "validate_code_format",
        False,
        "A code breaking the model's length or pattern is compared, and refused as a wrong code (403).",
    ),
    "any-auth-code-accepted": _Mutant(
        "verify_auth_codes", False, "Enable and resync accept any well-formed codes."
    ),
    "enable-twice": _Mutant(
        "reject_enable_in_use", False, "Enabling a device that is already in use succeeds and reassigns it."
    ),
    "enable-other-user": _Mutant(
        "reject_enable_other_user",
        False,
        "Enabling a device another user holds succeeds and moves the device to the new user.",
    ),
    "delete-assigned-allowed": _Mutant(
        "delete_assigned", "deleted", "Deleting a device still assigned to a user succeeds."
    ),
    "delete-assigned-leaves-entry": _Mutant(
        "delete_assigned",
        "deleted-leaving-entry",
        "Deleting an assigned device succeeds, and the user's ListMFADevices still lists it.",
    ),
    "delete-user-with-device-allowed": _Mutant(
        "delete_user_with_device",
        "releases-devices",
        "DeleteUser succeeds for a user holding an MFA device; the device is released.",
    ),
    "deactivate-unassigned-500": _Mutant(
        "deactivate_unassigned_error",
        "ServiceFailure",
        "DeactivateMFADevice of a device not assigned to the user named answers 500 ServiceFailure.",
    ),
    "serial-not-validated": _Mutant(
        "validate_serial_numbers",
        False,
        "A SerialNumber breaking the model's length or pattern is looked up as any other (404, not 400).",
    ),
    "deactivate-keeps-user": _Mutant(
        "deactivate_detaches_user", False, "DeactivateMFADevice answers 200 but leaves the device assigned."
    ),
    "tag-drops-new-keys": _Mutant(
        "tag_adds_new_keys", False, "TagMFADevice answers 200 but adds no key the device lacked."
    ),
    "tag-keeps-old-value": _Mutant(
        "tag_overwrites_value", False, "TagMFADevice keeps the old value of a key the device holds."
    ),
    "untag-noop": _Mutant("untag_removes", False, "UntagMFADevice answers 200 but removes nothing."),
    "tag-limit-not-enforced": _Mutant(
        "enforce_tag_limit", False, "TagMFADevice lets a device exceed the model's tag maximum."
    ),
    "delete-user-with-mfa-breaks-store": _Mutant(
        "delete_user_with_device",
        "breaks-store",
        "DeleteUser of a user holding an MFA device succeeds, and from then on ListVirtualMFADevices "
        "(Any, Assigned) and DeleteVirtualMFADevice answer 500 ServiceFailure (LocalStack 2026.3.0).",
    ),
}

MUTANTS: Mapping[str, str] = MappingProxyType({name: m.description for name, m in _MUTANT_TABLE.items()})
"""Every mutant name with a one-sentence description of the rule it breaks."""


def _check_table() -> None:
    fields = {field.name: field.default for field in dataclasses.fields(Rules)}
    for name, mutant in _MUTANT_TABLE.items():
        if mutant.field not in fields or fields[mutant.field] == mutant.value:
            raise AssertionError(f"mutant {name!r} must change one rule: {mutant.field}={mutant.value!r}")


_check_table()


def rules_for(mutant: str | None) -> Rules:
    """The conformant rules, or the rules with the one switch ``mutant`` names."""
    if mutant is None:
        return Rules()
    found = _MUTANT_TABLE.get(mutant)
    if found is None:
        raise ValueError(f"unknown mutant {mutant!r}; known: {', '.join(sorted(MUTANTS))}")
    changes: dict[str, Any] = {found.field: found.value}
    return dataclasses.replace(Rules(), **changes)
