"""ListVirtualMFADevices on the conformant reference: filters, entry contents, paging, markers."""

from __future__ import annotations

from .helpers import Clients, assert_error, auth_codes, new_device, serials


def _assign(clients: Clients, user: str) -> dict[str, object]:
    clients.iam.create_user(UserName=user)
    device = new_device(clients.iam)
    clients.iam.enable_mfa_device(UserName=user, SerialNumber=device["SerialNumber"], **auth_codes(device))
    return device


def test_assignment_status_filters_and_entry_contents(clients: Clients) -> None:
    assigned = _assign(clients, "alice")
    unassigned = new_device(clients.iam)

    def listed(status: str) -> list[dict[str, object]]:
        entries: list[dict[str, object]] = clients.iam.list_virtual_mfa_devices(AssignmentStatus=status)[
            "VirtualMFADevices"
        ]
        return entries

    assert [e["SerialNumber"] for e in listed("Assigned")] == [assigned["SerialNumber"]]
    assert listed("Unassigned") == [{"SerialNumber": unassigned["SerialNumber"]}]
    assert sorted(str(e["SerialNumber"]) for e in listed("Any")) == sorted(
        [str(assigned["SerialNumber"]), str(unassigned["SerialNumber"])]
    )
    (entry,) = listed("Assigned")
    assert set(entry) == {"SerialNumber", "EnableDate", "User"}
    user = entry["User"]
    assert isinstance(user, dict)
    assert set(user) == {"Path", "UserName", "UserId", "Arn", "CreateDate"}
    assert user["Arn"] == f"arn:aws:iam::{clients.account_id}:user/alice"


def test_any_is_the_default(clients: Clients) -> None:
    _assign(clients, "bob")
    new_device(clients.iam)
    assert len(clients.iam.list_virtual_mfa_devices()["VirtualMFADevices"]) == 2


def test_paging_returns_everything_once_with_opaque_markers(clients: Clients) -> None:
    created = sorted(new_device(clients.iam)["SerialNumber"] for _ in range(5))
    seen: list[str] = []
    markers: list[str] = []
    request: dict[str, object] = {"MaxItems": 2}
    while True:
        page = clients.iam.list_virtual_mfa_devices(**request)
        seen += [entry["SerialNumber"] for entry in page["VirtualMFADevices"]]
        if not page["IsTruncated"]:
            assert "Marker" not in page
            break
        markers.append(page["Marker"])
        request = {"MaxItems": 2, "Marker": page["Marker"]}
    assert sorted(seen) == created and len(seen) == len(set(seen))
    assert len(markers) == 2
    assert not any(marker.strip().isdigit() for marker in markers)
    assert serials(clients.iam, PaginationConfig={"PageSize": 1}) == sorted(created)


def test_exact_fit_page_is_not_truncated(clients: Clients) -> None:
    for _ in range(3):
        new_device(clients.iam)
    page = clients.iam.list_virtual_mfa_devices(MaxItems=3)
    assert page["IsTruncated"] is False and "Marker" not in page


def test_invalid_markers_are_rejected(clients: Clients) -> None:
    for _ in range(2):
        new_device(clients.iam)
    assert_error(
        lambda: clients.iam.list_virtual_mfa_devices(Marker="invalid-marker-value"),
        "ValidationError",
        400,
        "Invalid Marker.",
    )
    marker = clients.iam.list_virtual_mfa_devices(MaxItems=1)["Marker"]
    # A marker belongs to its listing: reusing it for another filter is as invalid as a forged one.
    assert_error(
        lambda: clients.iam.list_virtual_mfa_devices(Marker=marker, AssignmentStatus="Unassigned"),
        "ValidationError",
        400,
        "Invalid Marker.",
    )


def test_list_constraints_come_from_the_model(clients: Clients) -> None:
    assert_error(
        lambda: clients.raw.list_virtual_mfa_devices(MaxItems=1001),
        "ValidationError",
        400,
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000",
    )
    assert_error(
        lambda: clients.raw.list_virtual_mfa_devices(AssignmentStatus="Some"),
        "ValidationError",
        400,
        "1 validation error detected: Value 'Some' at 'assignmentStatus' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Assigned, Unassigned, Any]",
    )
