"""TagMFADevice, UntagMFADevice, ListMFADeviceTags on the conformant reference."""

from __future__ import annotations

from .helpers import Clients, assert_error, new_device


def _tags(clients: Clients, serial: str) -> list[dict[str, str]]:
    tags: list[dict[str, str]] = clients.iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]
    return tags


def test_keys_are_case_insensitive_and_keep_their_first_case(clients: Clients) -> None:
    serial = new_device(clients.iam, Tags=[{"Key": "Env", "Value": "a"}])["SerialNumber"]
    clients.iam.tag_mfa_device(
        SerialNumber=serial, Tags=[{"Key": "env", "Value": "b"}, {"Key": "x", "Value": "1"}]
    )
    assert _tags(clients, serial) == [{"Key": "Env", "Value": "b"}, {"Key": "x", "Value": "1"}]
    clients.iam.untag_mfa_device(SerialNumber=serial, TagKeys=["ENV", "absent"])
    assert _tags(clients, serial) == [{"Key": "x", "Value": "1"}]


def test_duplicate_keys_in_one_request_are_invalid_input(clients: Clients) -> None:
    serial = new_device(clients.iam)["SerialNumber"]
    duplicate = [{"Key": "k", "Value": "1"}, {"Key": "K", "Value": "2"}]
    assert_error(lambda: clients.iam.tag_mfa_device(SerialNumber=serial, Tags=duplicate), "InvalidInput", 400)
    assert _tags(clients, serial) == []


def test_total_over_the_model_maximum_is_limit_exceeded(clients: Clients) -> None:
    serial = new_device(clients.iam, Tags=[{"Key": f"k{i:02}", "Value": ""} for i in range(50)])[
        "SerialNumber"
    ]
    clients.iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "K00", "Value": "overwrite is fine"}])
    extra = [{"Key": "one-more", "Value": ""}]
    assert_error(lambda: clients.iam.tag_mfa_device(SerialNumber=serial, Tags=extra), "LimitExceeded", 409)
    assert len(_tags(clients, serial)) == 50


def test_unknown_device(clients: Clients) -> None:
    missing = f"arn:aws:iam::{clients.account_id}:mfa/missing"
    tags = [{"Key": "k", "Value": "v"}]
    assert_error(lambda: clients.iam.tag_mfa_device(SerialNumber=missing, Tags=tags), "NoSuchEntity", 404)
    assert_error(
        lambda: clients.iam.untag_mfa_device(SerialNumber=missing, TagKeys=["k"]), "NoSuchEntity", 404
    )
    assert_error(lambda: clients.iam.list_mfa_device_tags(SerialNumber=missing), "NoSuchEntity", 404)


def test_tag_listing_pages(clients: Clients) -> None:
    tags = [{"Key": f"k{i}", "Value": str(i)} for i in range(5)]
    serial = new_device(clients.iam, Tags=tags)["SerialNumber"]
    first = clients.iam.list_mfa_device_tags(SerialNumber=serial, MaxItems=3)
    assert first["IsTruncated"] is True and len(first["Tags"]) == 3
    rest = clients.iam.list_mfa_device_tags(SerialNumber=serial, MaxItems=3, Marker=first["Marker"])
    assert rest["IsTruncated"] is False and "Marker" not in rest
    assert first["Tags"] + rest["Tags"] == tags
