"""The suite survives a conformant endpoint's noise unchanged: throttling and reads that lag behind writes.

Shown on the session's own reads (a device or user created a moment ago is not visible yet: polled, not
judged), on the state machine's views (a reading that shows a state the sequence was just in lags, it is
not wrong), and end to end: the areas whose reads must reflect writes, run against the reference
endpoint throttling 5% of requests with a 2 s read lag and ``--patience 5``, get the quiet run's
verdicts, leave nothing behind, and count the throttled requests sent again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest

from conformance.runner.config import RunConfig
from conformance.scenarios import all_checks
from conformance.scenarios.lifecycle.model import LifecycleModel
from conformance.scenarios.lifecycle.views import compare_views
from conformance.session.calls import ApiCall, Rejection, Reply
from conformance.session.devices import CreatedDevice, created_device
from conformance.session.settling import Consistency, not_visible_yet
from conformance.session.suite import SuiteSession, open_suite
from conformance.session.totp import totp_codes
from tests.reference import Noise, ReferenceEndpoint
from tests.suite_runner import SuiteRun, run_suite
from tests.test_conformance_against_reference import ALWAYS_INFO, AREAS, CAUGHT_BY, PROOF_PROFILE

pytestmark = pytest.mark.slow  # runs the suite end to end

T = TypeVar("T")
LAG_S = 2.0
PATIENCE_S = 5.0


def _call(operation: str) -> ApiCall:
    return ApiCall("iam", operation, {}, None, "us-east-1")


def test_only_no_such_entity_means_not_visible_yet() -> None:
    missing = Rejection(_call("list_mfa_device_tags"), 404, "NoSuchEntity", "not found", "Sender")
    broken = Rejection(_call("list_mfa_device_tags"), 500, "ServiceFailure", "oops", "Receiver")
    assert not_visible_yet(missing) and not_visible_yet(Reply(missing.call, None, missing))
    assert not not_visible_yet(broken) and not not_visible_yet(Reply(broken.call, {}, None))
    assert not not_visible_yet(())


@pytest.fixture
def lagging_suite() -> Iterator[tuple[SuiteSession, ReferenceEndpoint]]:
    """A session with a patience, on a reference endpoint whose reads lag; swept at the end."""
    with ReferenceEndpoint(noise=Noise(read_lag_s=1.0)) as endpoint:
        config = RunConfig(target="url", endpoint_url=endpoint.url, patience=3.0)
        with open_suite(config) as suite:
            yield suite, endpoint
        assert not endpoint.app.context.store.devices and not endpoint.app.context.store.users


def _new_device(suite: SuiteSession, **params: Any) -> CreatedDevice:
    """A device created through the session's send, tracked until the test or the sweep deletes it."""
    params = {"VirtualMFADeviceName": suite.unique_token(), **params}
    reply = suite.send("create_virtual_mfa_device", params)
    device = created_device(reply.call, suite.identity, reply.needed()["VirtualMFADevice"])
    assert device.serial_number
    suite.tracker.adopt_device(device.serial_number)
    return device


def test_the_tags_of_a_device_created_a_moment_ago_are_polled_until_it_shows(
    lagging_suite: tuple[SuiteSession, ReferenceEndpoint],
) -> None:
    suite, _ = lagging_suite
    device = _new_device(suite, Tags=[{"Key": "k", "Value": "v"}])
    assert device.serial_number is not None
    started = time.monotonic()
    assert suite.device_tags(device.serial_number, lambda tags: bool(tags)) == (("k", "v"),)
    assert 0.9 < time.monotonic() - started < 3.0  # the lag, not the patience
    assert suite.consistency.reads_polled == 1 and suite.consistency.reads_unsettled == 0
    assert suite.consistency.waited_s > 0.9


def test_a_user_given_a_device_a_moment_ago_is_deleted_although_the_list_lags(
    lagging_suite: tuple[SuiteSession, ReferenceEndpoint],
) -> None:
    suite, endpoint = lagging_suite
    user = suite.new_user()
    device = _new_device(suite)
    assert suite.enable(user, device).rejection is None
    suite.tracker.release_user(user)  # the run gave it the device: deactivated first, nothing to wait for
    assert user not in endpoint.app.context.store.users
    assert suite.consistency.reads_polled == 0
    assert device.serial_number is not None
    suite.tracker.release_device(device.serial_number)


def test_a_user_given_a_device_the_run_did_not_see_given_is_deleted_once_the_list_shows_it(
    lagging_suite: tuple[SuiteSession, ReferenceEndpoint],
) -> None:
    suite, endpoint = lagging_suite
    user = suite.new_user()
    device = _new_device(suite)
    assert device.serial_number is not None
    codes = totp_codes(device.seed, time.time())  # sent past the session: it does not know of it
    suite.clients.iam.enable_mfa_device(UserName=user, SerialNumber=device.serial_number, **codes)
    suite.tracker.release_user(user)  # ListMFADevices does not show it yet: DeleteConflict, polled
    assert user not in endpoint.app.context.store.users
    assert suite.consistency.reads_polled == 1 and suite.consistency.reads_unsettled == 0
    suite.tracker.release_device(device.serial_number)


class _Views:
    """ListVirtualMFADevices(Any) as `SuiteSession` sends it, from a script of states (one a read)."""

    entries = SuiteSession.entries
    settle = SuiteSession.settle

    def __init__(self, states: list[Mapping[str, str | None]], patience_s: float) -> None:
        self.states = states
        self.consistency = Consistency(patience_s)
        self.reads = 0

    def call(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> ApiCall:
        return ApiCall("iam", operation, dict(params), None, "us-east-1")

    def side_by_side(self, reads: Sequence[Callable[[], T]], *, together: bool = True) -> list[T]:
        return [read() for read in reads]  # in order: the script's states follow the count of reads

    def send(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> Reply:
        state = self.states[min(self.reads, len(self.states) - 1)]
        self.reads += 1
        devices = [
            {"SerialNumber": serial, **({"User": {"UserName": user}} if user else {})}
            for serial, user in state.items()
        ]
        return Reply(self.call(operation, params), {"VirtualMFADevices": devices, "IsTruncated": False}, None)


SERIAL = "arn:aws:iam::123456789012:mfa/phone"


def _enabled() -> LifecycleModel:
    """A device created, then enabled for alice."""
    model = LifecycleModel(tag_limit=50)
    model.user_created("alice")
    model.created(SERIAL, "/", "phone", {})
    model.enable("alice", SERIAL).commit()
    return model


def _disagreements(views: _Views) -> tuple[Any, ...]:
    suite = cast(SuiteSession, views)
    return compare_views(suite, _enabled(), (), tagging=False, every_view=False)[1]


def test_the_views_are_polled_until_they_show_the_state() -> None:
    lagging = _Views([{}, {SERIAL: None}, {SERIAL: "alice"}], patience_s=5.0)  # created, then enabled
    assert _disagreements(lagging) == ()
    assert lagging.reads == 3 and lagging.consistency.reads_unsettled == 0


def test_views_that_never_show_the_state_are_judged_when_the_patience_is_spent() -> None:
    wrong = _Views([{SERIAL: None}], patience_s=0.3)  # the device stays unassigned
    assert len(_disagreements(wrong)) == 1
    assert wrong.reads > 1 and wrong.consistency.reads_unsettled == 1


def test_without_patience_the_views_are_read_once() -> None:
    local = _Views([{SERIAL: None}, {SERIAL: "alice"}], patience_s=0.0)
    assert len(_disagreements(local)) == 1 and local.reads == 1


# ---- end to end ------------------------------------------------------------------------------------

# The areas whose reads must reflect writes (the session's tag reads, user cleanup, the assignment's
# reads, the state machine's views, reads of a deleted device, a refused create's listing), in two runs
# side by side: most of their time is waiting for the lag.
WAITS_AT_MOST = 8
NOISY_AREAS = (
    "test_lifecycle_state_machine or test_assignment or test_user_holding_device",
    "test_device_tags or test_unknown_entity or test_refused_create_leaves_nothing or test_resync",
)


def _noisy_run(report_dir: Path, area: str) -> tuple[SuiteRun, list[str], list[str]]:
    """The CLI on ``area`` against a throttling, lagging reference endpoint; and what its store kept."""
    noise = Noise(throttle_rate=0.05, read_lag_s=LAG_S, seed=20261122)
    with ReferenceEndpoint(noise=noise) as endpoint:
        args = ("--target", "url", "--endpoint-url", endpoint.url, "--profile", "quick", "-k", area)
        # A generous timeout: a false alarm here would be shrunk through the lag (minutes); the
        # assertions below then say what it was, which a timeout would hide.
        run = run_suite(report_dir, *args, "--patience", f"{PATIENCE_S:g}", timeout=900)
        store = endpoint.app.context.store
        assert endpoint.app.internal_errors == []
        return run, list(store.devices), list(store.users)


def test_under_throttling_and_read_lag_every_check_gets_its_quiet_verdict(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=len(NOISY_AREAS)) as pool:
        dirs = [tmp_path / f"area-{index}" for index in range(len(NOISY_AREAS))]
        runs = list(pool.map(_noisy_run, dirs, NOISY_AREAS))
    # The quiet run's verdicts (test_conformance_against_reference): PASS, or INFO where the spec is silent.
    quiet = {check.id: "INFO" if check.id in ALWAYS_INFO else "PASS" for check in all_checks()}
    judged: set[str] = set()
    waits = 0
    for run, left_devices, left_users in runs:
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        results = run.document["results"]
        unquiet = [item for item in results if item["verdict"] != quiet[item["check"]]]
        assert unquiet == [], json.dumps({"unquiet": unquiet, "notes": run.document["notes"]}, indent=1)
        assert (left_devices, left_users) == ([], [])  # the endpoint's store holds nothing of the run
        assert run.document["throttled_retries"] > 0 and run.document["api_calls"] > 0
        consistency = run.document["consistency"]
        assert consistency["reads_polled"] > 0 and consistency["reads_unsettled"] == 0
        judged |= {item["check"] for item in results}
        waits += consistency["waits"]
    assert {"vmfa.lifecycle.lists-agree", "vmfa.tags.tag-adds", "vmfa.enable.valid-codes"} <= judged
    # The times the runs stopped to wait for the lag: one for all the tests whose examples are gathered
    # side by side (the first of them draws the later ones' ahead: the tag tests, the assignment), one
    # for the DeleteUser scenario's examples (side by side too, never drawn ahead: it may break the
    # endpoint), one for the lists check's sequences (each one's closing comparison waits while the
    # next runs), one for each sweep (6 seen; 20 when each of those tests, each DeleteUser example and
    # each sequence waited on its own). One after another, every example of those tests waited: more
    # than 30.
    assert waits <= WAITS_AT_MOST, waits


# A proof row whose wrong answer changes the state (a device deleted while assigned is gone from every
# view): through the lag and the patience, the state machine still blames that step, as in the quiet row.
LAGGING_ROW = "delete-assigned-allowed/stateful"


def test_a_wrong_answer_gets_its_quiet_row_verdict_through_the_lag(tmp_path: Path) -> None:
    """Rule 4: the views read after the wrongly accepted delete never show the state before it (the
    device's tags are NoSuchEntity); compared before blaming the step, they made the row an ERROR."""
    check, verdict, area = CAUGHT_BY[LAGGING_ROW]
    with ReferenceEndpoint(mutant=LAGGING_ROW.split("/")[0], noise=Noise(read_lag_s=LAG_S)) as endpoint:
        args = ("--profile", PROOF_PROFILE, "--patience", f"{PATIENCE_S:g}")
        run = run_suite(tmp_path / "report", *args, url=endpoint.url, keyword=AREAS[area])
        store = endpoint.app.context.store
        assert (list(store.devices), list(store.users)) == ([], [])
    others = {item["verdict"] for item in run.document["results"] if item["check"] != check}
    assert run.verdicts[check] == verdict and others <= {"PASS", "SKIP"}, run.stdout[-3000:]
    assert run.document["consistency"]["reads_unsettled"] == 0
