"""``iam-conformance run --workers N``: the same verdicts as a serial run, one report, nothing left.

The end-to-end runs (marked slow) compare a 2-worker run with a serial one of the same seed against the
reference endpoint, healthy and with the mutant whose store breaks on DeleteUser; an interrupted
2-worker run leaves nothing on the endpoint. The parts are shown on their own: the order in which the
tests are handed out (`conformance.runner.worker_schedule`), the merge into the serial run's order
(`conformance.runner.workers.in_order`), the journals the controller sweeps from
(`conformance.runner.worker_journal`), the workers' tokens.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import execnet
import pytest

from conformance.runner.config import RunConfig
from conformance.runner.worker_journal import PREEXISTING, Claims, JournaledTracker, replay
from conformance.runner.worker_names import NameLocks
from conformance.runner.worker_order import in_order
from conformance.runner.worker_schedule import TailLastScheduling
from conformance.runner.workers import prepare_worker, shared_endpoint
from conformance.session.devices import Identity
from conformance.session.resources import ResourceTracker
from conformance.session.suite import open_suite
from reports.model import CheckResult, Evidence, Verdict
from tests.proof_runs import conformant_run, left_on_endpoint
from tests.reference import Noise, ReferenceEndpoint
from tests.reference import core as reference_core
from tests.suite_runner import SEED, SuiteRun, finish, run_suite

BREAKS_STORE = "delete-user-with-mfa-breaks-store"
# Tests that draw the same device names (the same seed, the same boundary examples) and keep them as
# drawn: valid creates, tags at creation (module names match too), tagging.
SAME_NAMES = "test_valid or test_tags_at_creation or test_tag_device or test_tags_of_unknown"


# ---- the option


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", ""])
def test_workers_must_be_an_integer_of_at_least_one(tmp_path: Path, value: str) -> None:
    run = run_suite(tmp_path / "report", "--workers", value)
    assert run.returncode == 2, run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "--workers" in lines[0] and "at least 1" in lines[0]
    assert not (tmp_path / "report" / "results.json").exists()


def test_the_in_process_target_cannot_be_shared_by_workers(tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report", "--target", "moto", "--workers", "2")
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "iam-conformance: error: --workers: --target moto runs inside one process; use --target moto-server"
    ]


# ---- the order the tests are handed out in


class _Node:
    """What the scheduler sees of an xdist worker; it runs a test once it knows the next (or must stop)."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[int] = []
        self.stopping = False

    @property
    def shutting_down(self) -> bool:
        return self.stopping

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.extend(indices)

    def shutdown(self) -> None:
        self.stopping = True


def _run_schedule(
    count: int, held: set[int], groups: list[int], workers: int = 2
) -> tuple[list[tuple[str, int]], list[_Node], list[set[int]]]:
    """Every test run to its end, in the order a scheduler allows; (worker, test) each, and at each turn
    the tests that could run then (each at the head of its worker's queue)."""
    nodes = [_Node(f"gw{number}") for number in range(workers)]
    collection = [f"test_{index}" for index in range(count)]
    scheduler = TailLastScheduling(len(nodes), lambda node, ids: (held, groups), lambda *args: None)
    for node in nodes:
        scheduler.add_node(node)
    scheduler.add_node_collection(nodes[0], collection)
    scheduler.schedule()  # the first to have collected starts at once
    for node in nodes[1:]:
        scheduler.add_node_collection(node, collection)
        scheduler.schedule()
    done: list[tuple[str, int]] = []
    running: list[set[int]] = []
    for turn in range(10 * count):
        runnable = [
            n
            for n in nodes
            if scheduler.node2pending.get(n) and (len(scheduler.node2pending[n]) > 1 or n.stopping)
        ]
        if not runnable:
            break
        running.append({scheduler.node2pending[n][0] for n in runnable})
        node = runnable[turn % len(runnable)]
        index = scheduler.node2pending[node][0]
        done.append((node.gateway.id, index))
        scheduler.mark_test_complete(node, index)
    assert scheduler.tests_finished
    assert not any(scheduler.node2pending.values())
    return done, nodes, running


def test_the_tail_runs_after_every_other_test_alone_and_in_order() -> None:
    held = {6, 7, 8}  # damages_state and exclusive tests, last in the collection
    done, nodes, _ = _run_schedule(9, held, list(range(9)))
    order = [index for _, index in done]
    assert sorted(order) == list(range(9))  # each test once
    assert order[-3:] == [6, 7, 8]  # after every other test has ended, in collection order
    assert len({worker for worker, index in done if index in held}) == 1  # on one worker
    assert {worker for worker, _ in done[:-3]} == {"gw0", "gw1"}  # the rest on both
    assert all(node.stopping for node in nodes)


def test_the_first_worker_to_have_collected_starts_and_the_others_join() -> None:
    nodes = [_Node("gw0"), _Node("gw1")]
    collection = [f"test_{index}" for index in range(6)]
    scheduler = TailLastScheduling(2, lambda node, ids: ({5}, list(range(6))), lambda *args: None)
    for node in nodes:
        scheduler.add_node(node)
    scheduler.add_node_collection(nodes[1], collection)
    assert scheduler.collection_is_completed
    scheduler.schedule()
    assert nodes[1].sent == [0, 1] and nodes[0].sent == []  # gw0 still collects
    scheduler.add_node_collection(nodes[0], collection)
    scheduler.schedule()
    assert nodes[0].sent == [2, 3]
    late = _Node("gw2")  # collected other tests: given none, and stopped
    scheduler.add_node(late)
    scheduler.add_node_collection(late, collection[:-1])
    scheduler.schedule()
    assert late.sent == [] and late.stopping


def test_the_tests_of_one_group_go_to_one_worker() -> None:
    groups = [0, 1, 0, 1, 2, 2, 3, 4]  # a scenario's checks: the same examples, one gathering
    done, _, _ = _run_schedule(8, set(), groups)
    workers = {group: {worker for worker, index in done if groups[index] == group} for group in set(groups)}
    assert all(len(names) == 1 for names in workers.values()), workers


# ---- the merged results, in the serial run's order


def _result(check: str, verdict: Verdict, message: str = "") -> CheckResult:
    return CheckResult(check, "ListMFADeviceTags", "", Evidence.DOCUMENTED, verdict, message=message)


def test_not_implemented_is_reported_by_the_first_test_of_the_serial_order() -> None:
    missing = "not implemented by the endpoint: list_mfa_device_tags (HTTP 501)"
    skip = "depends on list_mfa_device_tags, which the endpoint does not implement (see {})"
    # worker 1 met it first with test 2; worker 0 with test 0, later; test 1 passed
    arrived = [
        _result("c2", Verdict.NOT_IMPLEMENTED, missing),
        _result("c1", Verdict.PASS),
        _result("c0", Verdict.NOT_IMPLEMENTED, missing),
        _result("c3", Verdict.SKIP, skip.format("c2")),
    ]
    merged = in_order(arrived, [2, 1, 0, 3])
    assert [(r.check, r.verdict, r.message) for r in merged] == [
        ("c0", Verdict.NOT_IMPLEMENTED, missing),
        ("c1", Verdict.PASS, ""),
        ("c2", Verdict.SKIP, skip.format("c0")),
        ("c3", Verdict.SKIP, skip.format("c0")),
    ]


# ---- the journals


def test_what_a_worker_still_holds_is_swept_by_the_controller(tmp_path: Path) -> None:
    deleted: list[str] = []
    worker = JournaledTracker(
        delete_device=deleted.append, list_device_serials=list, journal=tmp_path / "gw0.journal"
    )
    worker.settle_attempt(worker.attempt_device("/", "kept"), "arn:aws:iam::1:mfa/kept")
    worker.settle_attempt(worker.attempt_device("/", "gone"), "arn:aws:iam::1:mfa/gone")
    worker.release_device("arn:aws:iam::1:mfa/gone")
    worker.attempt_device("/", "unanswered")  # the worker was stopped before the answer came
    worker.track_user("vmfa-conformance-u1")
    with (tmp_path / "gw0.journal").open("a") as journal:
        journal.write('["adopt", "arn:aws:iam::1:mfa/torn')  # killed in the middle of a line
    listed = ["arn:aws:iam::1:mfa/unanswered", "arn:aws:iam::1:mfa/not-ours"]
    swept: list[str] = []
    users: list[str] = []
    controller = ResourceTracker(
        delete_device=swept.append, list_device_serials=lambda: listed, delete_user=users.append
    )
    replay(tmp_path, controller)
    assert controller.sweep() == []
    assert swept == ["arn:aws:iam::1:mfa/kept", "arn:aws:iam::1:mfa/unanswered"]
    assert users == ["vmfa-conformance-u1"]


def test_a_device_another_worker_made_or_that_was_there_before_is_not_new(tmp_path: Path) -> None:
    (tmp_path / PREEXISTING).write_text(json.dumps(["arn:aws:iam::1:mfa/before"]))
    other = JournaledTracker(delete_device=print, list_device_serials=list, journal=tmp_path / "gw1.journal")
    other.attempt_device("/p/", "creating-u2")  # sent, not answered yet
    other.settle_attempt(other.attempt_device("/", "made-u4"), "arn:aws:iam::1:mfa/made-u4")
    own = tmp_path / "gw0.journal"
    mine = JournaledTracker(
        delete_device=print, list_device_serials=list, journal=own, claims=Claims(tmp_path, own)
    )
    assert mine.known_device("arn:aws:iam::1:mfa/before")
    assert mine.known_device("arn:aws:iam::1:mfa/p/creating-u2")
    assert mine.known_device("arn:aws:iam::1:mfa/made-u4")
    assert not mine.known_device("arn:aws:iam::1:mfa/left-by-a-refused-create")


def test_workers_number_their_tokens_apart(tmp_path: Path) -> None:
    tokens = []
    for worker in ("gw0", "gw1", "gw2"):  # gw2: xdist's replacement of a crashed worker of two
        suite = SimpleNamespace(
            tracker=ResourceTracker(print, list), token_offset=0, token_stride=1, _tokens=0
        )
        inputs = {"workerid": worker, "workercount": 2, "iam_conformance": {"folder": str(tmp_path)}}
        prepare_worker(cast(Any, SimpleNamespace(workerinput=inputs)), cast(Any, suite))
        tokens.append([_token(suite) for _ in range(50)])
    every = [token for made in tokens for token in made]
    assert len(set(every)) == len(every)
    assert tokens[0][:3] == ["u1", "u3", "u5"] and tokens[1][:3] == ["u2", "u4", "u6"]


def test_a_worker_opens_its_session_on_what_the_controller_checked_without_a_request() -> None:
    """The controller checked the endpoint and asked who the run is there a moment before the workers
    start; each worker is given that (its fields, as execnet carries them) and sends neither again."""
    checked = Identity("123456789012", "aws", ("an-alias",))
    settings = {"target": "moto", "checked_identity": dataclasses.asdict(checked)}  # as the controller's
    carried = execnet.loads(execnet.dumps({"iam_conformance": {"folder": "unused", "settings": settings}}))
    shared = shared_endpoint(cast(Any, SimpleNamespace(workerinput=carried)))
    assert shared is not None and shared["checked_identity"] == checked
    with open_suite(RunConfig(**shared)) as worker:
        assert worker.identity == checked
        assert worker.clients.counter.requests == 0
    with open_suite(RunConfig(target="moto")) as serial:  # the check, then STS and the account's aliases
        assert serial.clients.counter.requests == 3


_ENDING = """
import atexit, sys
from conformance.runner.quick_exit import end_without_teardown

class Freed:
    def __del__(self, open=open, path=sys.argv[1] + "/freed"):  # bound now: builtins go first
        open(path, "w").close()

kept = Freed()
atexit.register(lambda: open(sys.argv[1] + "/handler-before", "w").close())
if sys.argv[2] == "worker":
    end_without_teardown()
atexit.register(lambda: open(sys.argv[1] + "/handler-after", "w").close())
sys.stdout.write("written, not flushed")
"""


@pytest.mark.parametrize("role", ["worker", "other"])
def test_a_worker_ends_after_its_exit_handlers_without_freeing_its_objects(tmp_path: Path, role: str) -> None:
    """A worker's process ends once its exit handlers ran and its output is flushed, without the
    interpreter freeing its objects one by one (the controller waits for that); any other process as
    usual."""
    ended = subprocess.run(
        [sys.executable, "-c", _ENDING, str(tmp_path), role], capture_output=True, text=True, check=False
    )
    assert (ended.returncode, ended.stdout, ended.stderr) == (0, "written, not flushed", "")
    assert (tmp_path / "handler-before").exists() and (tmp_path / "handler-after").exists()
    assert (tmp_path / "freed").exists() == (role != "worker")


def _token(suite: Any) -> str:
    from conformance.session.suite import SuiteSession

    return SuiteSession.unique_token(suite)


# ---- whole runs against the reference endpoint


def _run(
    tmp_path: Path, name: str, workers: int, *args: str, mutant: str | None = None, noise: Noise | None = None
) -> tuple[SuiteRun, Any]:
    with ReferenceEndpoint(mutant=mutant, noise=noise) as endpoint:
        run = run_suite(
            tmp_path / name,
            *(
                "--target",
                "url",
                "--endpoint-url",
                endpoint.url,
                "--profile",
                "quick",
                "--workers",
                str(workers),
            ),
            *args,
            timeout=900,
        )
        store = endpoint.app.context.store
        return run, (sorted(store.devices), sorted(store.users))


def _untokened(notes: list[str]) -> list[str]:
    """The notes without the run's unique tokens (which a worker numbers otherwise) and its run id."""
    notes = [re.sub(r"(?<=[-/])u\d+\b", "u#", note) for note in notes]
    return [re.sub(r"(?<=iam-conformance/)[0-9a-z]{8}\b|(?<=-)[0-9a-z]{8}\b", "RUN", note) for note in notes]


def _verdicts(run: SuiteRun) -> list[tuple[str, str | None, str]]:
    return [(item["check"], item["case"], item["verdict"]) for item in run.document["results"]]


@pytest.mark.slow
def test_two_workers_give_the_verdicts_of_a_serial_run(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The whole suite, quick, on the conformant endpoint. The serial run is the proof table's
    conformant run (`tests.proof_runs.conformant_run`: the same command but ``--workers``, whose
    default is 1, the same seed, a reference endpoint of its own), made once for both tests; the
    2-worker run is made first, so that this test rarely waits for the other's."""
    parallel, parallel_left = _run(tmp_path, "workers", 2)
    serial = conformant_run(tmp_path_factory)
    serial_left = left_on_endpoint(serial)
    assert serial.returncode == parallel.returncode == 0, parallel.stdout[-3000:] + parallel.stderr[-3000:]
    assert _verdicts(parallel) == _verdicts(serial)  # the same results, in the same order
    assert parallel.document["complete"]
    # The same notes (in the order the workers ended: the devices the contradiction check leaves).
    assert sorted(_untokened(parallel.document["notes"])) == sorted(_untokened(serial.document["notes"]))
    # Nothing left, but the devices whose serial the model forbids: a conformant endpoint keeps them,
    # and the contradiction check names them (a serial run leaves the same).
    assert [_untokened(left) for left in parallel_left] == [_untokened(left) for left in serial_left]
    devices, users = parallel_left
    assert users == [] and all("contradiction" in serial for serial in devices), devices
    assert sorted(path.name for path in (tmp_path / "workers").iterdir()) == sorted(
        path.name for path in serial.report_dir.iterdir()
    )  # one report


@pytest.mark.slow
def test_on_an_endpoint_that_delete_user_breaks_the_other_workers_results_stand(tmp_path: Path) -> None:
    """The DeleteUser scenario and the state machine run last and alone: the breakage is blamed on the
    DeleteUser step, as in a serial run, and no other test is judged on the broken endpoint."""
    keyword = ("-k", "test_user_holding_device or test_lifecycle_state_machine or listing or test_valid")
    serial, _ = _run(tmp_path, "serial", 1, *keyword, mutant=BREAKS_STORE)
    parallel, _ = _run(tmp_path, "workers", 2, *keyword, mutant=BREAKS_STORE)
    assert _verdicts(parallel) == _verdicts(serial)
    assert _untokened(parallel.document["notes"]) == _untokened(serial.document["notes"])
    assert parallel.result("vmfa.delete-user.device-attached")["verdict"] == "FAIL"
    skipped = {item["check"] for item in parallel.document["results"] if item["verdict"] == "SKIP"}
    assert skipped == {"vmfa.lifecycle.answers-agree", "vmfa.lifecycle.lists-agree"}


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_worker_run_deletes_what_every_worker_created(tmp_path: Path, signum: int) -> None:
    report = tmp_path / "report"
    with ReferenceEndpoint() as endpoint:
        command = [sys.executable, "-m", "conformance.runner.cli", "run", "--target", "url"]
        command += ["--endpoint-url", endpoint.url, "--profile", "thorough", "--seed", str(SEED)]
        command += ["--workers", "2", "--report-dir", str(report), "-k", "not contradiction"]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # as a shell's background job
        )
        try:
            deadline = time.monotonic() + 120
            while len(endpoint.app.context.issued) < 20 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(endpoint.app.context.issued) >= 20, "the run never got going"
            process.send_signal(signum)  # to the controller only, as a CI timeout sends it
        finally:  # the run ends (or is killed) and its output is read either way
            stdout, stderr = finish(process, timeout=180)
        assert process.returncode != 0
        assert "Traceback" not in stderr, stderr[-3000:]
        store = endpoint.app.context.store
        assert (store.devices, store.users) == ({}, {}), stdout[-3000:] + stderr[-3000:]
    document = json.loads((report / "results.json").read_text())
    assert document["complete"] is False


@pytest.mark.slow
def test_what_a_killed_worker_created_is_swept_by_the_controller(tmp_path: Path) -> None:
    """Workers killed outright (no cleanup of their own): xdist replaces them, the run ends, and the
    controller deletes what the dead workers had created (their journals), and says which tests were lost.

    The run is the tests that draw the same names (`SAME_NAMES`), not the whole suite: a device of a dead
    worker left undeleted would make another of them, run again on a new worker, meet its name taken."""
    report = tmp_path / "report"
    with ReferenceEndpoint() as endpoint:
        command = [sys.executable, "-m", "conformance.runner.cli", "run", "--target", "url"]
        command += ["--endpoint-url", endpoint.url, "--profile", "quick", "--seed", str(SEED)]
        command += ["--workers", "2", "--report-dir", str(report), "-k", SAME_NAMES]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120
            while len(endpoint.app.context.store.devices) < 1 and time.monotonic() < deadline:
                time.sleep(0.005)
            workers = _children(process.pid)
            held = set(endpoint.app.context.store.devices)  # only workers create: theirs
            for worker in workers:
                os.kill(worker, signal.SIGKILL)
        finally:  # the run ends (or is killed) and its output is read either way
            stdout, stderr = finish(process, timeout=600)
        assert held, "no device was held when the worker was killed"
        store = endpoint.app.context.store
        assert (store.devices, store.users) == ({}, {}), stdout[-3000:] + stderr[-3000:]
    document = json.loads((report / "results.json").read_text())
    notes = document["notes"]
    assert any(note.startswith("not judged: its worker stopped while it ran: ") for note in notes), notes
    # The dead workers' devices were deleted before their other tests ran again elsewhere (the same
    # names, drawn from the same seed): no false finding on the conformant endpoint.
    assert process.returncode == 0, stdout[-3000:]
    assert {item["verdict"] for item in document["results"]} <= {"PASS", "INFO", "SKIP"}


def _children(pid: int) -> list[int]:
    """The worker processes xdist started for the run ``pid`` (execnet's Python children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    assert found, "no worker process"
    return sorted(found)


def test_a_device_name_is_held_by_one_worker_at_a_time(tmp_path: Path) -> None:
    first, second = NameLocks(tmp_path), NameLocks(tmp_path, patience_s=0.05)  # as two processes
    first.hold("/drawn-name")
    first.hold("/drawn-name")  # the same process creates it again (a duplicate): no wait
    second.hold("/drawn-name")
    assert second.gave_up == ["/drawn-name"]  # waited its patience, went on
    second.hold("/another-name")
    first.release()
    second.release()
    second.hold("/drawn-name")
    assert second.gave_up == ["/drawn-name"]  # free now: held at once


@pytest.mark.slow
def test_a_missing_operation_is_not_implemented_once_with_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker meets the missing operation first in its own tests; the report has one
    NOT_IMPLEMENTED, from the test a serial run meets it in first, and SKIPs naming that one."""
    monkeypatch.delitem(reference_core.HANDLERS, "ListMFADeviceTags")  # answered 400 InvalidAction
    keyword = ("-k", "test_device_tags or test_tags_at_creation")
    serial, _ = _run(tmp_path, "serial", 1, *keyword)
    parallel, _ = _run(tmp_path, "workers", 2, *keyword)
    assert _verdicts(parallel) == _verdicts(serial)
    missing = [item for item in parallel.document["results"] if item["verdict"] == "NOT_IMPLEMENTED"]
    assert len(missing) == 1, _verdicts(parallel)
    assert missing[0]["message"].startswith("not implemented by the endpoint: ListMFADeviceTags")
    skips = [item["message"] for item in parallel.document["results"] if item["verdict"] == "SKIP"]
    assert skips and all(message.endswith(f"(see {missing[0]['check']})") for message in skips), skips


@pytest.mark.slow
def test_tests_that_draw_the_same_names_give_their_serial_verdicts_side_by_side(tmp_path: Path) -> None:
    """Valid creates, tags at creation and tagging draw the same names (the same seed, the same boundary
    examples) and keep them as drawn: on a slow endpoint four workers would create them at the same
    moment (EntityAlreadyExists, a deleted device that is there again) but for the names held one
    worker at a time."""
    keyword = ("-k", SAME_NAMES)
    serial, _ = _run(tmp_path, "serial", 1, *keyword)
    parallel, left = _run(tmp_path, "workers", 4, *keyword, noise=Noise(latency_ms=20))
    assert _verdicts(parallel) == _verdicts(serial)
    assert left == ([], [])
