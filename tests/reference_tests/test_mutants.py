"""Every mutant's deviation is visible: its probe passes on the reference and fails on the mutant.

A probe is a tiny conformance check for the one rule a mutant breaks. Running it on both endpoints
shows two things at once: the reference is right about that rule, and the mutant is wrong about it
(and so a suite check for the rule has something to catch).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import re
import time
from collections.abc import Callable

import pytest
import zxingcpp
from botocore.exceptions import ClientError
from PIL import Image
from pyzbar import pyzbar

from tests.reference import MUTANTS

from .helpers import (
    Clients,
    assert_error,
    auth_codes,
    new_device,
    qr_parts,
    qr_uri,
    running,
    seed_text,
    serials,
)

Probe = Callable[[Clients], None]
PROBES: dict[str, Probe] = {}


def probe(*mutants: str) -> Callable[[Probe], Probe]:
    def register(function: Probe) -> Probe:
        for mutant in mutants:
            assert mutant not in PROBES, mutant
            PROBES[mutant] = function
        return function

    return register


@probe("qr-not-png")
def _qr_is_a_png(c: Clients) -> None:
    png = new_device(c.iam)["QRCodePNG"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"


@probe("qr-two-symbols")
def _qr_holds_one_symbol(c: Clients) -> None:
    with Image.open(io.BytesIO(new_device(c.iam)["QRCodePNG"])) as image:
        assert len(pyzbar.decode(image)) == 1


@probe(
    "qr-wrong-secret",
    "hex-seed",
    "seed-invalid-char",
    "seed-10-bytes",
    "seed-20-bytes",
    "qr-label-no-account",
    "qr-hotp",
    "qr-8-digits",
    "qr-duplicate-issuer",
)
def _qr_uri_is_exactly_the_documented_one(c: Clients) -> None:
    device = new_device(c.iam, "phone")
    seed = seed_text(device)
    assert re.fullmatch("[A-Z2-7]{64}", seed), "64 characters of the RFC 4648 base32 alphabet"
    assert len(base64.b32decode(seed)) == 40
    assert qr_parts(device["QRCodePNG"]) == ("totp", f"phone@{c.account_id}", {"secret": [seed]})


@probe("qr-faint")
def _zxing_reads_what_zbar_reads(c: Clients) -> None:
    png = new_device(c.iam)["QRCodePNG"]
    with Image.open(io.BytesIO(png)) as image:
        qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCodeModel2)
        found = zxingcpp.read_barcodes(image.convert("L"), formats=qr)
    assert [barcode.text for barcode in found] == [qr_uri(png)]


@probe("fresh-device-has-enable-date")
def _new_device_is_unassigned(c: Clients) -> None:
    assert set(new_device(c.iam)) == {"SerialNumber", "Base32StringSeed", "QRCodePNG", "Name"}


@probe("serial-drops-path")
def _serial_includes_path(c: Clients) -> None:
    device = new_device(c.iam, "phone", Path="/team/")
    assert device["SerialNumber"] == f"arn:aws:iam::{c.account_id}:mfa/team/phone"


def _rejected_with_nothing_left(c: Clients, code: str, **params: object) -> None:
    request = {"VirtualMFADeviceName": "rejected", **params}
    assert_error(lambda: c.raw.create_virtual_mfa_device(**request), code, 400)
    assert serials(c.iam) == []


@probe(
    "path-pattern-not-enforced",
    "validation-as-500",
    "validation-code-unknown",
    "validation-as-invalid-input",
    "validation-status-409",
)
def _path_pattern_enforced(c: Clients) -> None:
    _rejected_with_nothing_left(c, "ValidationError", Path="/no-trailing-slash")


@probe("path-length-not-enforced")
def _path_length_enforced(c: Clients) -> None:
    _rejected_with_nothing_left(c, "ValidationError", Path="/" + "a" * 512 + "/")


@probe("name-unicode-word-accepted")
def _name_is_ascii_word(c: Clients) -> None:
    _rejected_with_nothing_left(c, "ValidationError", VirtualMFADeviceName="café")


@probe("name-plus-rejected")
def _plus_in_name_accepted(c: Clients) -> None:
    new_device(c.iam, "a+b")


@probe("tags-51-accepted")
def _tag_count_enforced(c: Clients) -> None:
    _rejected_with_nothing_left(c, "ValidationError", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(51)])


@probe("tags-duplicate-keys-accepted")
def _duplicate_tag_keys_rejected(c: Clients) -> None:
    _rejected_with_nothing_left(
        c, "InvalidInput", Tags=[{"Key": "k", "Value": "1"}, {"Key": "K", "Value": "2"}]
    )


@probe("failed-create-leaves-device")
def _invalid_tags_leave_nothing(c: Clients) -> None:
    _rejected_with_nothing_left(c, "ValidationError", Tags=[{"Key": "bad#key", "Value": ""}])


@probe("tags-dropped")
def _create_tags_stored(c: Clients) -> None:
    serial = new_device(c.iam, Tags=[{"Key": "k", "Value": "v"}])["SerialNumber"]
    assert c.iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "k", "Value": "v"}]


@probe("duplicates-accepted", "entity-already-exists-status-400")
def _duplicate_is_409(c: Clients) -> None:
    first = new_device(c.iam, "twin")
    assert_error(lambda: new_device(c.iam, "twin"), "EntityAlreadyExists", 409)
    assert serials(c.iam) == [first["SerialNumber"]]


@probe("no-such-entity-status-400")
def _unknown_is_404(c: Clients) -> None:
    missing = f"arn:aws:iam::{c.account_id}:mfa/missing"
    assert_error(lambda: c.iam.delete_virtual_mfa_device(SerialNumber=missing), "NoSuchEntity", 404)


@probe("list-ignores-assignment-status")
def _assigned_filter(c: Clients) -> None:
    new_device(c.iam)
    assert c.iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []


@probe("paging-drops-last")
def _paging_is_complete(c: Clients) -> None:
    created = sorted(new_device(c.iam)["SerialNumber"] for _ in range(3))
    assert serials(c.iam, PaginationConfig={"PageSize": 1}) == created


@probe("last-page-truncated")
def _last_page_is_final(c: Clients) -> None:
    new_device(c.iam)
    page = c.iam.list_virtual_mfa_devices(MaxItems=5)
    assert page["IsTruncated"] is False and "Marker" not in page


@probe("list-leaks-seed")
def _list_holds_no_secret(c: Clients) -> None:
    new_device(c.iam)
    (entry,) = c.iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert set(entry) == {"SerialNumber"}


def _enabled(c: Clients, user: str = "alice") -> dict[str, object]:
    c.iam.create_user(UserName=user)
    device = new_device(c.iam)
    c.iam.enable_mfa_device(UserName=user, SerialNumber=device["SerialNumber"], **auth_codes(device))
    return device


@probe("any-auth-code-accepted")
def _codes_are_verified(c: Clients) -> None:
    c.iam.create_user(UserName="alice")
    device = new_device(c.iam)
    stale = auth_codes(device, time.time() - 3000)
    assert_error(
        lambda: c.iam.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"], **stale),
        "InvalidAuthenticationCode",
        403,
    )


@probe("tag-drops-new-keys", "tag-keeps-old-value")
def _tagging_adds_and_overwrites(c: Clients) -> None:
    serial = new_device(c.iam, Tags=[{"Key": "team", "Value": "red"}])["SerialNumber"]
    c.iam.tag_mfa_device(
        SerialNumber=serial, Tags=[{"Key": "team", "Value": "blue"}, {"Key": "new", "Value": "x"}]
    )
    listed = {tag["Key"]: tag["Value"] for tag in c.iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]}
    assert listed == {"team": "blue", "new": "x"}


@probe("valid-codes-rejected")
def _valid_codes_are_accepted(c: Clients) -> None:
    c.iam.create_user(UserName="alice")
    device = new_device(c.iam)
    codes = auth_codes(device, time.time())
    c.iam.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"], **codes)


@probe("enable-twice")
def _in_use_is_409(c: Clients) -> None:
    device = _enabled(c)
    codes = auth_codes(device)
    assert_error(
        lambda: c.iam.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"], **codes),
        "EntityAlreadyExists",
        409,
    )


@probe("enable-other-user")
def _held_by_another_is_409(c: Clients) -> None:
    device = _enabled(c)
    c.iam.create_user(UserName="bob")
    codes = auth_codes(device)
    assert_error(
        lambda: c.iam.enable_mfa_device(UserName="bob", SerialNumber=device["SerialNumber"], **codes),
        "EntityAlreadyExists",
        409,
    )
    assert [entry["UserName"] for entry in c.iam.list_mfa_devices(UserName="alice")["MFADevices"]] == [
        "alice"
    ]


@probe("delete-assigned-leaves-entry")
def _deleted_device_leaves_no_entry(c: Clients) -> None:
    """Deleting an assigned device is refused; were it not, the user's list must not keep it."""
    serial = _enabled(c)["SerialNumber"]
    with contextlib.suppress(ClientError):
        c.iam.delete_virtual_mfa_device(SerialNumber=serial)
    listed = [entry["SerialNumber"] for entry in c.iam.list_mfa_devices(UserName="alice")["MFADevices"]]
    assert listed == ([serial] if serial in serials(c.iam) else [])
    assert serials(c.iam) == [serial]


@probe("delete-user-with-device-allowed")
def _user_with_device_not_deleted(c: Clients) -> None:
    serial = _enabled(c)["SerialNumber"]
    assert_error(lambda: c.iam.delete_user(UserName="alice"), "DeleteConflict", 409)
    assert serials(c.iam, AssignmentStatus="Assigned") == [serial]


@probe("deactivate-unassigned-500")
def _deactivate_unassigned_is_404(c: Clients) -> None:
    c.iam.create_user(UserName="alice")
    serial = new_device(c.iam)["SerialNumber"]
    call = lambda: c.iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial)  # noqa: E731
    assert_error(call, "NoSuchEntity", 404)


@probe("serial-not-validated")
def _bad_serial_is_400(c: Clients) -> None:
    short = "arn:a"  # shorter than the model's minimum
    assert_error(lambda: c.raw.delete_virtual_mfa_device(SerialNumber=short), "ValidationError", 400)
    spaced = f"arn:aws:iam::{c.account_id}:mfa/a b"
    assert_error(lambda: c.raw.get_mfa_device(SerialNumber=spaced), "ValidationError", 400)


@probe("path-accepts-space")
def _space_in_path_rejected(c: Clients) -> None:
    _rejected_with_nothing_left(c, "ValidationError", Path="/a b/")


@probe("list-defaults-to-assigned")
def _default_lists_every_device(c: Clients) -> None:
    assigned = _enabled(c)["SerialNumber"]
    unassigned = new_device(c.iam)["SerialNumber"]
    assert serials(c.iam) == sorted([assigned, unassigned])


@probe("delete-assigned-allowed")
def _delete_assigned_conflicts(c: Clients) -> None:
    device = _enabled(c)
    assert_error(
        lambda: c.iam.delete_virtual_mfa_device(SerialNumber=device["SerialNumber"]), "DeleteConflict", 409
    )


@probe("deactivate-keeps-user")
def _deactivate_detaches(c: Clients) -> None:
    device = _enabled(c)
    c.iam.deactivate_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"])
    assert c.iam.list_mfa_devices(UserName="alice")["MFADevices"] == []
    assert c.iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []


@probe("untag-noop")
def _untag_removes(c: Clients) -> None:
    serial = new_device(c.iam, Tags=[{"Key": "k", "Value": "v"}])["SerialNumber"]
    c.iam.untag_mfa_device(SerialNumber=serial, TagKeys=["k"])
    assert c.iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == []


@probe("tag-limit-not-enforced")
def _tag_limit_enforced(c: Clients) -> None:
    serial = new_device(c.iam, Tags=[{"Key": f"k{i}", "Value": ""} for i in range(50)])["SerialNumber"]
    extra = [{"Key": "one-more", "Value": ""}]
    assert_error(lambda: c.iam.tag_mfa_device(SerialNumber=serial, Tags=extra), "LimitExceeded", 409)


@probe("list-entry-omits-user")
def _assigned_entry_names_user(c: Clients) -> None:
    _enabled(c)
    (entry,) = c.iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert entry.get("User", {}).get("UserName") == "alice" and "EnableDate" in entry


@probe("delete-noop")
def _delete_removes(c: Clients) -> None:
    c.iam.delete_virtual_mfa_device(SerialNumber=new_device(c.iam)["SerialNumber"])
    assert serials(c.iam) == []


@probe("get-mfa-device-not-found")
def _get_finds_enabled(c: Clients) -> None:
    serial = _enabled(c)["SerialNumber"]
    found = c.iam.get_mfa_device(SerialNumber=serial, UserName="alice")
    assert (found["SerialNumber"], found["UserName"]) == (serial, "alice")


@probe("list-mfa-devices-empty")
def _user_devices_listed(c: Clients) -> None:
    serial = _enabled(c)["SerialNumber"]
    listed = c.iam.list_mfa_devices(UserName="alice")["MFADevices"]
    assert [device["SerialNumber"] for device in listed] == [serial]


@probe("unknown-marker-accepted", "unknown-marker-html-500")
def _unknown_marker_refused(c: Clients) -> None:
    new_device(c.iam)
    call = lambda: c.iam.list_virtual_mfa_devices(Marker="invalid-marker-value")  # noqa: E731
    assert_error(call, "ValidationError", 400, "Invalid Marker.")


@probe("list-params-not-validated")
def _list_params_validated(c: Clients) -> None:
    assert_error(lambda: c.raw.list_virtual_mfa_devices(MaxItems=1001), "ValidationError", 400)
    assert_error(lambda: c.raw.list_virtual_mfa_devices(AssignmentStatus="assigned"), "ValidationError", 400)


@probe("resync-rejects-valid")
def _resync_accepts_fresh_codes(c: Clients) -> None:
    device = _enabled(c)
    fresh = auth_codes(device, time.time() + 30)  # the next step: within the endpoint's drift
    c.iam.resync_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"], **fresh)


@probe("malformed-codes-as-wrong")
def _malformed_code_is_400(c: Clients) -> None:
    c.iam.create_user(UserName="alice")
    device = new_device(c.iam)
    codes = {**auth_codes(device), "AuthenticationCode1": "12345"}
    call = lambda: c.raw.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"], **codes)  # noqa: E731
    assert_error(call, "ValidationError", 400)


@probe("eventually-consistent")
def _lists_show_assignment_at_once(c: Clients) -> None:
    serial = _enabled(c)["SerialNumber"]
    assert serials(c.iam, AssignmentStatus="Assigned") == [serial]


@probe("delete-user-with-mfa-breaks-store")
def _delete_user_holding_a_device_is_refused(c: Clients) -> None:
    _enabled(c)
    assert_error(lambda: c.iam.delete_user(UserName="alice"), "DeleteConflict", 409)
    assert len(serials(c.iam, AssignmentStatus="Assigned")) == 1


def test_every_mutant_has_a_probe() -> None:
    assert sorted(PROBES) == sorted(MUTANTS)


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_probe_passes_on_the_reference_and_fails_on_the_mutant(mutant: str) -> None:
    check = PROBES[mutant]
    with running() as reference:
        check(reference.clients)
    # An unexpected error answer is as visible a deviation as a failed assertion.
    with running(mutant) as broken, pytest.raises((AssertionError, ClientError)):
        check(broken.clients)


def test_the_broken_store_answers_listings_and_deletes_with_500_from_then_on() -> None:
    with running("delete-user-with-mfa-breaks-store") as broken:
        c = broken.clients
        serial = _enabled(c)["SerialNumber"]
        c.iam.delete_user(UserName="alice")  # accepted: the damage
        for status in ("Any", "Assigned"):
            listing = functools.partial(c.iam.list_virtual_mfa_devices, AssignmentStatus=status)
            assert_error(listing, "ServiceFailure", 500)
        assert_error(lambda: c.iam.delete_virtual_mfa_device(SerialNumber=serial), "ServiceFailure", 500)
        assert c.iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"] == []
