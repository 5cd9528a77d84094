"""Leave nothing behind: devices are deleted after each example, at the end of a failing run, and
when a run is interrupted (Ctrl-C or SIGTERM) in the middle."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from conformance.session.calls import EndpointFailure
from conformance.session.resources import Leftover, ResourceTracker
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SEED


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


def test_a_listing_that_fails_at_the_sweep_is_reported_and_the_tracked_devices_still_deleted() -> None:
    endpoint = FakeEndpoint({"arn:aws:iam::1:mfa/kept", "arn:aws:iam::1:mfa/other"})

    def broken_listing() -> list[str]:
        raise EndpointFailure("ListVirtualMFADevices failed: HTTP 500 ServiceFailure: KeyError")

    tracker = ResourceTracker(endpoint.delete, broken_listing)
    tracker.settle_attempt(tracker.attempt_device("/", "kept"), "arn:aws:iam::1:mfa/kept")
    tracker.attempt_device("/", "lost")  # refused, or never answered: only a listing could find it
    assert tracker.sweep() == [
        Leftover(
            "create",
            "mfa/lost",
            "never answered, and the devices could not be listed to find it: "
            "EndpointFailure: ListVirtualMFADevices failed: HTTP 500 ServiceFailure: KeyError",
        )
    ]
    assert endpoint.deleted == ["arn:aws:iam::1:mfa/kept"]


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
    command = [
        sys.executable,
        "-m",
        "conformance.runner.cli",
        "run",
        "--target",
        "url",
        "--endpoint-url",
        url,
    ]
    command += ["--profile", "thorough", "--seed", str(SEED), "--report-dir", str(report_dir)]
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
            stdout, stderr = process.communicate(timeout=120)  # generous: CI machines may be loaded
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            for pipe in (process.stdout, process.stderr):
                if pipe is not None:
                    pipe.close()  # also after a timeout: an open pipe warns in a later test
        assert process.returncode != 0
        assert "Traceback" not in stderr, stderr[-3000:]
        assert endpoint.app.context.store.devices == {}, stdout + stderr
