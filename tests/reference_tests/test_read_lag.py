"""The read-lag switch: reads see the account as it was ``read_lag_s`` ago; writes act on it at once.

The history itself is shown on an explicit clock (no sleeping); the endpoint end to end with a lag long
enough that the reads "right after" the writes are well inside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from botocore.exceptions import ClientError

from tests.reference import Noise
from tests.reference.core import HANDLERS
from tests.reference.noise import History
from tests.reference.store import Device, Store

from .helpers import Clients, assert_error, auth_codes, new_device, running, serials

Read = Callable[[Clients, str], object]

# Every read the reference implements, each reduced to what it shows of one user's one device.
READS: dict[str, Read] = {
    "ListVirtualMFADevices": lambda c, serial: serials(c.iam, AssignmentStatus="Assigned"),
    "ListMFADevices": lambda c, serial: [
        d["SerialNumber"] for d in c.iam.list_mfa_devices(UserName="alice")["MFADevices"]
    ],
    "GetMFADevice": lambda c, serial: c.iam.get_mfa_device(SerialNumber=serial)["UserName"],
    "ListMFADeviceTags": lambda c, serial: c.iam.list_mfa_device_tags(SerialNumber=serial)["Tags"],
    "GetUser": lambda c, serial: c.iam.get_user(UserName="alice")["User"]["UserName"],
}


def _seen(read: Read, clients: Clients, serial: str) -> object:
    """What the read shows, or the code it is refused with."""
    try:
        return read(clients, serial)
    except ClientError as error:
        return error.response["Error"]["Code"]


def test_the_lagged_reads_are_every_read_the_reference_implements() -> None:
    reads = {action for action, registered in HANDLERS.items() if registered.read}
    # the caller's identity has no state to lag; ListUsers is the sweeper's (tests/test_aws_simulated.py)
    assert reads == {*READS, "GetCallerIdentity", "ListUsers"}
    assert all(action.startswith(("Get", "List")) for action in reads)
    assert not any(action.startswith(("Get", "List")) for action in set(HANDLERS) - reads)


def test_reads_show_writes_only_after_the_lag() -> None:
    lag = 1.0
    with running(noise=Noise(read_lag_s=lag)) as run:
        iam = run.clients.iam
        iam.create_user(UserName="alice")
        device = new_device(iam, Tags=[{"Key": "k", "Value": "old"}])
        serial = device["SerialNumber"]
        iam.enable_mfa_device(UserName="alice", SerialNumber=serial, **auth_codes(device))
        iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "k", "Value": "new"}])
        written = time.monotonic()
        before = {action: _seen(read, run.clients, serial) for action, read in READS.items()}
        time.sleep(max(0.0, written + lag - time.monotonic()))
        after = {action: _seen(read, run.clients, serial) for action, read in READS.items()}
    assert before == {
        "ListVirtualMFADevices": [],
        "ListMFADevices": "NoSuchEntity",  # alice herself is not visible yet
        "GetMFADevice": "NoSuchEntity",
        "ListMFADeviceTags": "NoSuchEntity",
        "GetUser": "NoSuchEntity",
    }
    assert after == {
        "ListVirtualMFADevices": [serial],
        "ListMFADevices": [serial],
        "GetMFADevice": "alice",
        "ListMFADeviceTags": [{"Key": "k", "Value": "new"}],
        "GetUser": "alice",
    }


def test_writes_act_on_the_present_at_once() -> None:
    with running(noise=Noise(read_lag_s=600)) as run:  # no read catches up during the test
        iam = run.clients.iam
        device = new_device(iam, "phone")
        assert_error(lambda: new_device(iam, "phone"), "EntityAlreadyExists", 409)
        iam.create_user(UserName="alice")
        serial = device["SerialNumber"]
        iam.enable_mfa_device(UserName="alice", SerialNumber=serial, **auth_codes(device))
        assert_error(lambda: iam.delete_user(UserName="alice"), "DeleteConflict", 409)
        assert_error(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial), "DeleteConflict", 409)
        iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial)
        iam.delete_virtual_mfa_device(SerialNumber=serial)
        assert_error(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial), "NoSuchEntity", 404)
        assert serials(iam) == []  # and reads still show the empty account of ten minutes ago


def test_the_switch_combines_with_a_mutant() -> None:
    with running("duplicates-accepted", Noise(read_lag_s=600)) as run:
        new_device(run.clients.iam, "phone")
        new_device(run.clients.iam, "phone")  # the mutant's broken rule, on the present state
        assert serials(run.clients.iam) == []  # the switch's lag


def _store() -> Store:
    return Store("123456789012")


def test_a_read_gets_the_newest_state_at_least_the_lag_old() -> None:
    store = _store()
    history = History(10.0, store, now=0.0)
    store.add_user("a", "/")
    history.record(store, now=1.0)
    store.add_user("b", "/")
    history.record(store, now=5.0)
    assert set(history.as_of(9.0).users) == set()  # younger than the lag: the account as it began
    assert set(history.as_of(11.0).users) == {"a"}
    assert set(history.as_of(14.9).users) == {"a"}
    assert set(history.as_of(15.0).users) == {"a", "b"}
    assert set(store.users) == {"a", "b"}


def test_the_history_keeps_only_what_a_read_can_still_get() -> None:
    store, lag = _store(), 3.0
    history = History(lag, store, now=0.0)
    for second in range(1, 100):
        store.add_user(f"u{second}", "/")
        history.record(store, now=float(second))
        assert len(history) <= lag + 2


def test_a_state_kept_is_not_changed_by_later_writes_but_shares_the_markers() -> None:
    store = _store()
    store.add_user("alice", "/")
    device = Device(
        "arn:aws:iam::123456789012:mfa/phone", "phone", "/", "A" * 64, "A" * 64, {"k": ("k", "v")}
    )
    store.devices[device.serial] = device
    kept = store.snapshot()
    device.tags.pop("k")
    device.user = "alice"
    del store.users["alice"]
    copy = kept.devices[device.serial]
    assert (copy.tags, copy.user, set(kept.users)) == ({"k": ("k", "v")}, None, {"alice"})
    marker = kept.marker_after(("virtual-mfa", "Any"), device.serial)
    assert store.knows_marker(("virtual-mfa", "Any"), marker)
