"""Leave nothing behind: devices are deleted after each example, at the end of a failing run, and
when a run is interrupted (Ctrl-C or SIGTERM) in the middle."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from conformance.runner.config import RunConfig
from conformance.session.calls import EndpointFailure, Rejection
from conformance.session.resources import Leftover, ResourceTracker
from conformance.session.suite import open_suite
from tests.reference import ReferenceEndpoint
from tests.suite_runner import finish, run_command


class FakeEndpoint:
    def __init__(self, serials: Iterable[str] = ()) -> None:
        self.serials = set(serials)
        self.deleted: list[str] = []

    def delete(self, serial: str) -> None:
        if serial not in self.serials:
            raise LookupError(serial)
        self.serials.remove(serial)
        self.deleted.append(serial)

    def tracker(self) -> ResourceTracker:
        return ResourceTracker(self.delete, lambda: sorted(self.serials))


def test_an_unanswered_create_is_found_and_swept_by_its_path_and_name() -> None:
    endpoint = FakeEndpoint({"arn:aws:iam::1:mfa/p/dev", "arn:aws:iam::1:mfa/other/dev"})
    tracker = endpoint.tracker()
    tracker.attempt_device("/p/", "dev")  # interrupted: no answer, no serial
    assert tracker.sweep() == []
    assert endpoint.deleted == ["arn:aws:iam::1:mfa/p/dev"]


def test_a_device_that_already_existed_is_not_ours_to_delete() -> None:
    endpoint = FakeEndpoint({"arn:aws:iam::1:mfa/dev"})
    tracker = endpoint.tracker()
    tracker.settle_attempt(tracker.attempt_device("/", "dev"), None)  # answered EntityAlreadyExists
    assert tracker.sweep() == []
    assert endpoint.deleted == []


def test_a_later_refusal_does_not_settle_an_earlier_unanswered_create() -> None:
    endpoint = FakeEndpoint({"arn:aws:iam::1:mfa/dev"})
    tracker = endpoint.tracker()
    tracker.attempt_device("/", "dev")  # refused, but a non-atomic endpoint kept the device
    tracker.settle_attempt(tracker.attempt_device("/", "dev"), None)  # then: EntityAlreadyExists
    assert tracker.sweep() == []
    assert endpoint.deleted == ["arn:aws:iam::1:mfa/dev"]


def test_what_cannot_be_deleted_is_reported_by_serial() -> None:
    endpoint = FakeEndpoint()
    tracker = endpoint.tracker()
    tracker.settle_attempt(tracker.attempt_device("/", "gone"), "arn:aws:iam::1:mfa/gone")
    assert tracker.sweep() == [
        Leftover("device", "arn:aws:iam::1:mfa/gone", "LookupError: arn:aws:iam::1:mfa/gone")
    ]


_UNLISTED = (
    "and the devices could not be listed to find it: "
    "EndpointFailure: ListVirtualMFADevices failed: HTTP 500 ServiceFailure: KeyError"
)


def test_a_listing_that_fails_at_the_sweep_is_reported_and_the_tracked_devices_still_deleted() -> None:
    endpoint = FakeEndpoint({"arn:aws:iam::1:mfa/kept", "arn:aws:iam::1:mfa/other"})

    def broken_listing() -> list[str]:
        raise EndpointFailure("ListVirtualMFADevices failed: HTTP 500 ServiceFailure: KeyError")

    tracker = ResourceTracker(endpoint.delete, broken_listing)
    tracker.settle_attempt(tracker.attempt_device("/", "kept"), "arn:aws:iam::1:mfa/kept")
    tracker.refused_attempt(tracker.attempt_device("/", "lost"))  # only a listing could find these
    tracker.attempt_device("/", "lost")
    tracker.attempt_device("/", "unanswered")
    assert tracker.sweep() == [
        Leftover("create", "mfa/lost", f"never answered, {_UNLISTED}"),
        Leftover("create", "mfa/unanswered", f"never answered, {_UNLISTED}"),
    ]
    assert endpoint.deleted == ["arn:aws:iam::1:mfa/kept"]


def test_a_user_is_not_deleted_holding_a_device_the_run_gave_it_that_its_list_does_not_show() -> None:
    """An endpoint that wrongly deletes a user holding a device, and breaks on it (LocalStack 2026.3.0),
    whose ListMFADevices does not show the device: the run's own cleanup must not be what breaks it.
    The device the run enabled for the user is deactivated first, listed or not."""
    with ReferenceEndpoint(mutant="delete-user-with-mfa-breaks-store") as endpoint:
        context = endpoint.app.context
        endpoint.app.context = dataclasses.replace(
            context, rules=dataclasses.replace(context.rules, list_user_devices=False)
        )
        with open_suite(RunConfig(target="url", endpoint_url=endpoint.url)) as suite:
            user = suite.new_user()
            with suite.create_device({"VirtualMFADeviceName": suite.unique_token()}) as device:
                assert not isinstance(device, Rejection)
                assert suite.enable(user, device).rejection is None
                suite.tracker.release_user(user)
                store = endpoint.app.context.store
                assert not store.broken
                assert user not in store.users and store.devices[str(device.serial_number)].user is None


def test_refused_creates_are_looked_for_before_a_test_that_may_break_the_listing() -> None:
    endpoint = FakeEndpoint({"arn:aws:iam::1:mfa/kept"})
    listings: list[str] = []

    def listing() -> list[str]:
        listings.append("listed")
        return sorted(endpoint.serials)

    tracker = ResourceTracker(endpoint.delete, listing)
    tracker.refused_attempt(tracker.attempt_device("/", "kept"))  # refused, but the device was kept
    tracker.look_for_attempts(settled=True)
    assert tracker.tracked() == ("arn:aws:iam::1:mfa/kept",) and listings == ["listed"]
    assert tracker.sweep() == [] and listings == ["listed"]  # resolved: the sweep need not list again


def test_on_a_lagging_endpoint_the_attempts_stay_open_for_the_sweep() -> None:
    endpoint = FakeEndpoint()
    tracker = endpoint.tracker()
    tracker.refused_attempt(tracker.attempt_device("/", "late"))
    tracker.look_for_attempts(settled=False)  # not listed yet: the device may still show
    endpoint.serials.add("arn:aws:iam::1:mfa/late")
    assert tracker.sweep() == [] and endpoint.deleted == ["arn:aws:iam::1:mfa/late"]


def test_a_listing_that_fails_before_the_damage_leaves_the_attempts_to_the_sweep() -> None:
    def broken_listing() -> list[str]:
        raise EndpointFailure("ListVirtualMFADevices failed: HTTP 500 ServiceFailure: KeyError")

    tracker = ResourceTracker(FakeEndpoint().delete, broken_listing)
    tracker.refused_attempt(tracker.attempt_device("/", "lost"))
    tracker.look_for_attempts(settled=True)
    kept = "refused (a non-atomic endpoint may have kept it)"
    assert tracker.sweep() == [Leftover("create", "mfa/lost", f"{kept}, {_UNLISTED}")]


def test_each_device_that_cannot_be_deleted_is_a_leftover_with_the_endpoints_answer() -> None:
    def broken_delete(serial: str) -> None:
        raise EndpointFailure("DeleteVirtualMFADevice failed: HTTP 500 ServiceFailure: KeyError")

    tracker = ResourceTracker(broken_delete, list)
    for name in ("a", "b"):
        tracker.settle_attempt(tracker.attempt_device("/", name), f"arn:aws:iam::1:mfa/{name}")
    answer = "EndpointFailure: DeleteVirtualMFADevice failed: HTTP 500 ServiceFailure: KeyError"
    assert tracker.sweep() == [
        Leftover("device", "arn:aws:iam::1:mfa/a", answer),
        Leftover("device", "arn:aws:iam::1:mfa/b", answer),
    ]


def test_a_delete_whose_answer_was_lost_is_tried_again_and_not_listed() -> None:
    """The endpoint deleted the device but its answer was a 500 (or a reset): the next try is answered
    'no such entity', which counts as deleted; the user is listed only while deleting it keeps failing."""
    answers = iter([EndpointFailure("DeleteVirtualMFADevice failed: HTTP 500 (an empty body)")])
    deleted: list[str] = []

    def lossy_delete(serial: str) -> None:
        deleted.append(serial)
        failure = next(answers, None)
        if failure is not None:
            raise failure

    def stubborn_user(name: str) -> None:
        raise EndpointFailure("DeleteUser failed: HTTP 409 DeleteConflict: it has a device")

    tracker = ResourceTracker(lossy_delete, list, stubborn_user)
    tracker.settle_attempt(tracker.attempt_device("/", "a"), "arn:aws:iam::1:mfa/a")
    tracker.track_user("u1")
    answer = "EndpointFailure: DeleteUser failed: HTTP 409 DeleteConflict: it has a device"
    assert tracker.sweep() == [Leftover("user", "u1", answer)]
    assert deleted == ["arn:aws:iam::1:mfa/a"] * 2
    assert tracker.tracked() == ()


def _start_suite(url: str, report_dir: Path) -> subprocess.Popen[str]:
    command = run_command(report_dir, url=url, profile="thorough")
    # Started as a shell starts a background job: SIGINT ignored, which the run must still obey.
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_deletes_every_device_it_created(tmp_path: Path, signum: int) -> None:
    with ReferenceEndpoint() as endpoint:
        process = _start_suite(endpoint.url, tmp_path / "report")
        try:
            deadline = time.monotonic() + 60
            while len(endpoint.app.context.issued) < 5 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(endpoint.app.context.issued) >= 5, "the run never got going"
            process.send_signal(signum)
        finally:  # the run ends (or is killed) and its output is read either way
            stdout, stderr = finish(process, timeout=120)
        assert process.returncode != 0
        assert "Traceback" not in stderr, stderr[-3000:]
        assert endpoint.app.context.store.devices == {}, stdout + stderr
