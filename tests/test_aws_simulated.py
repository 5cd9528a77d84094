"""``--target aws`` proven offline: a run in a shared account (simulated: `tests.simulated_aws`) leaves
every other resource byte-identical and nothing of its own, costs the same whatever the account holds,
refuses the wrong account before any write, never connects off loopback, and two runs at once do not
touch each other; a run killed with SIGKILL is cleaned up by ``iam-conformance sweep``, which removes
exactly what that run made; and the policy the suite prints names exactly the operations a run and a
sweep send.

The account holds foreign devices (every 5th assigned to a user of its own, every 3rd tagged), and the
endpoint throttles 2% of requests and lets reads lag 2 s behind writes, as AWS may.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance.runner.policy import STS_OPERATIONS, policy_operations
from conformance.session.ownership import new_run_id
from tests.reference.noise import Noise
from tests.reference.store import Device
from tests.simulated_aws import ACCOUNT, Completed, SimulatedAws, foreign_state, owned, suite_command
from tests.suite_runner import shared_folder

pytestmark = pytest.mark.slow

# What a whole aws-profile run may cost (every call sent: throttled retries and the read lag's polls
# included). Measured here: about 555 (see the README's AWS section; without the noise, under 400); the
# bound leaves room for the polls' timing on a loaded machine, never for growth with the account's size,
# which the comparison below rules out on its own.
CALL_BUDGET = 640
_NOISE = Noise(throttle_rate=0.02, read_lag_s=2.0, seed=7)
_AGE_S = 8  # --older-than of the sweep test: the killed run is older, the run started at the sweep younger
_WRITES = frozenset(
    {
        "CreateVirtualMFADevice",
        "DeleteVirtualMFADevice",
        "EnableMFADevice",
        "DeactivateMFADevice",
        "ResyncMFADevice",
        "TagMFADevice",
        "UntagMFADevice",
        "CreateUser",
        "DeleteUser",
    }
)


def _run_args(report: Path, *more: str) -> tuple[str, ...]:
    return ("run", "--target", "aws", "--allow-aws", "--report-dir", str(report), "--seed", "20261122", *more)


@dataclass(frozen=True)
class _FullRun:
    run: Completed
    document: dict[str, Any]
    sent: frozenset[str]  # the actions the endpoint received

    def dumped(self) -> dict[str, Any]:
        return {"run": dataclasses.asdict(self.run), "document": self.document, "sent": sorted(self.sent)}

    @staticmethod
    def loaded(fields: dict[str, Any]) -> _FullRun:
        return _FullRun(Completed(**fields["run"]), fields["document"], frozenset(fields["sent"]))


def _full_run(folder: Path, foreign: int) -> _FullRun:
    """One aws-profile run in an account with ``foreign`` devices; the foreign resources unchanged,
    nothing of the suite's left, no connection off loopback."""
    folder.mkdir()
    with SimulatedAws.started(folder, foreign=foreign, noise=_NOISE) as aws:
        before = foreign_state(aws.store)
        run = aws.run(*_run_args(folder / "report"))
        diagnosis = run.stdout[-3000:] + run.stderr[-2000:]
        assert run.returncode == 0, diagnosis
        assert foreign_state(aws.store) == before, f"a foreign resource changed ({foreign} in the account)"
        assert owned(aws.store) == [], owned(aws.store)
        assert aws.refused_connections() == []
        document = json.loads((folder / "report" / "results.json").read_text())
        return _FullRun(run, document, frozenset(aws.endpoint.app.actions))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, _FullRun]:
    """The same run (seed, profile, noise) in an account of 10 and of 1,000 foreign devices, side by side
    (both mostly wait: on the read lag, and on the throttled requests' backoff).

    Made once per test session: a module fixture is made once per pytest-xdist worker that runs one of
    its tests, and worksteal may hand this module's tests to both workers (it did: the pair of runs,
    tens of seconds of CPU, was made twice). The first asker makes them under a lock in the session's
    temporary folder and records them there; an asker that comes later, or waits on the lock, reads
    them (`tests.suite_runner.shared_folder`)."""

    def make(folder: Path) -> None:
        sizes = (10, 1_000)
        with ThreadPoolExecutor(max_workers=len(sizes)) as pool:
            done = list(pool.map(lambda size: _full_run(folder / f"foreign-{size}", size), sizes))
        record = {size: full.dumped() for size, full in zip(sizes, done, strict=True)}
        (folder / "runs.json").write_text(json.dumps(record))

    record = json.loads((shared_folder(tmp_path_factory, "aws-simulated", make) / "runs.json").read_text())
    return {int(size): _FullRun.loaded(fields) for size, fields in record.items()}


def test_a_run_in_a_shared_account_touches_nothing_else_and_leaves_nothing(runs: dict[int, _FullRun]) -> None:
    """(The fixture asserts the account: foreign resources byte-identical, nothing left, loopback only.)"""
    for full in runs.values():
        document = full.document
        verdicts = {str(result["verdict"]) for result in document["results"]}
        assert verdicts <= {"PASS", "INFO", "SKIP"}, full.run.stdout[-3000:]
        assert document["throttled_retries"] > 0, "2% throttled: some requests were sent again"
        assert document["target"]["url"].startswith("http://127.0.0.1:"), "the endpoint really used"
        assert ACCOUNT not in json.dumps(document), "the account id is masked"
        assert ACCOUNT not in full.run.stdout + full.run.stderr
        assert document["target"]["account_id"].startswith("<account sha256:")


def test_its_cost_is_bounded_and_does_not_grow_with_the_account(runs: dict[int, _FullRun]) -> None:
    small, large = (int(runs[size].document["api_calls"]) for size in (10, 1_000))
    assert small <= CALL_BUDGET and large <= CALL_BUDGET, (small, large)
    # Each listing of the whole account takes one more page per 1,000 devices, and the draws and the
    # read lag's polls differ a little from run to run; nothing may scale with the 990 devices more.
    assert abs(large - small) <= small // 10, (small, large)


@pytest.fixture
def aws(tmp_path: Path) -> Iterator[SimulatedAws]:
    with SimulatedAws.started(tmp_path, foreign=50) as simulated:
        yield simulated


@pytest.mark.parametrize(
    ("caller", "accounts", "says"),
    [
        ("ci", ("111111111111",), "not one the run may touch"),
        (None, (ACCOUNT,), "root user"),
    ],
    ids=["other-account", "root-user"],
)
def test_the_wrong_account_is_refused_before_any_write(
    tmp_path: Path, caller: str | None, accounts: tuple[str, ...], says: str
) -> None:
    with SimulatedAws.started(tmp_path, foreign=10, caller=caller or "") as aws:
        run = aws.run(*_run_args(tmp_path / "report"), accounts=accounts)
        sent = set(aws.endpoint.app.actions)
    assert run.returncode == 2, run.stdout + run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0], lines
    assert ACCOUNT not in lines[0]
    assert sent == {"GetCallerIdentity"}, sent  # nothing else was sent, let alone a write


def test_no_credentials_is_one_line(aws: SimulatedAws, tmp_path: Path) -> None:
    env = aws.env()
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    done = subprocess.run(
        suite_command(*_run_args(tmp_path / "report")), capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "iam-conformance: error: no AWS credentials found: configure a profile or AWS_* variables"
    ]
    assert not set(aws.endpoint.app.actions) & _WRITES


def test_after_sigkill_the_sweep_removes_exactly_that_runs_resources(
    aws: SimulatedAws, tmp_path: Path
) -> None:
    store = aws.store
    foreign = foreign_state(store)
    killed = aws.killed_after(*_run_args(tmp_path / "report", "-k", "assignment or tags"), created=3)
    assert killed.returncode == -signal.SIGKILL
    left = owned(store)
    assert len(left) >= 3, left  # killed while it held devices and users
    # Beside them: a run started just now (still going, for all the sweep knows) and a folder under
    # the suite's that holds no run id of its format. The sweep leaves both.
    time.sleep(max(0.0, _AGE_S + 2 - killed.wall_s))  # the killed run is older than --older-than
    # The young run's id is dated some minutes ahead, so that it stays younger than --older-than however
    # long the dry run and the sweep take on a loaded machine (at load 27 they took longer than 8 s).
    young = new_run_id(time.time() + 600)
    for path in (f"/iam-conformance/{young}/", "/iam-conformance/not-a-run/"):
        serial = f"arn:aws:iam::{ACCOUNT}:mfa{path}kept"
        store.devices[serial] = Device(serial, "kept", path, "JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP")
    sweep = ("sweep", "--target", "aws", "--allow-aws", "--older-than", f"{_AGE_S}s")
    dry = aws.run(*sweep, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert sorted(set(owned(store)) - set(left)) == [line for line in owned(store) if "kept" in line]
    assert {line for line in owned(store) if "kept" not in line} == set(left)  # a dry run sends no write
    swept = aws.run(*sweep)
    assert swept.returncode == 0, swept.stdout + swept.stderr
    assert len(owned(store)) == 2 and all(line.endswith("kept") for line in owned(store))
    assert foreign_state(store) == foreign  # nothing outside the suite's folder was touched
    removed = [line for line in swept.stdout.splitlines() if line.startswith("deleted ")]
    assert len(removed) == len(left), swept.stdout
    assert ACCOUNT not in swept.stdout + dry.stdout


def test_the_policy_names_exactly_what_a_run_and_a_sweep_send(
    runs: dict[int, _FullRun], tmp_path: Path
) -> None:
    scoped, listings = policy_operations()
    with SimulatedAws.started(tmp_path, foreign=10) as aws:
        swept = aws.run("sweep", "--target", "aws", "--allow-aws", "--older-than", "0s")
        assert swept.returncode == 0, swept.stderr
        sweep_sent = set(aws.endpoint.app.actions)
    assert runs[10].sent | sweep_sent == {*scoped, *listings, *STS_OPERATIONS}


def test_two_runs_at_once_in_one_account_do_not_touch_each_other(tmp_path: Path) -> None:
    """The same seed draws the same names: only the run ids keep the two runs' devices and users apart
    (ownership by construction), and neither run judges, or deletes, what the other made."""
    with SimulatedAws.started(tmp_path, foreign=10) as aws:
        before = foreign_state(aws.store)
        with ThreadPoolExecutor(max_workers=2) as pool:
            both = list(pool.map(lambda name: aws.run(*_run_args(tmp_path / name)), ("first", "second")))
        assert foreign_state(aws.store) == before and owned(aws.store) == []
    for name, run in zip(("first", "second"), both, strict=True):
        assert run.returncode == 0, run.stdout[-3000:]
        document = json.loads((tmp_path / name / "results.json").read_text())
        assert {str(result["verdict"]) for result in document["results"]} <= {"PASS", "INFO", "SKIP"}
