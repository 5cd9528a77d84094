"""A flaky network does not make a conformant endpoint fail: through a proxy that injects one kind of fault
on 5% of the requests (`tests.fault_proxy`), the suite finds no FAIL or DEVIATION in the reference
endpoint, every ERROR says in plain words what happened on the way, and what it could not delete is
listed exactly (or nothing is left); a device someone else made is never touched.

A part of the suite runs (``_KEYWORD``: creates, duplicates, tags, the assignment, paging), at the quick
profile, so that each kind costs a short run; the stall is 3 s against a read timeout of 1 s, at half the
rate of the other kinds (each stall is waited out). Every kind faults both reads and writes.
"""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import pytest

from tests.fault_proxy import FAULT_KINDS, FaultProxy
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SuiteRun, run_suite

_KEYWORD = (
    "test_valid_request or test_same_path_and_name or test_tag_device or test_assignment or test_paging"
)
_FOREIGN = "someone-elses-device"
# Each stall costs the run its read timeout (1 s), waited out: half the rate of the other kinds still
# stalls reads and writes (creates, deletes, the assignment's), a dozen faults rather than thirty.
_RATE = {"stall": 0.025}
_WRITES = {
    "CreateVirtualMFADevice",
    "DeleteVirtualMFADevice",
    "EnableMFADevice",
    "DeactivateMFADevice",
    "CreateUser",
    "DeleteUser",
    "TagMFADevice",
    "UntagMFADevice",
}
# What an ERROR may say: the fault, in the words of `conformance.session.faults`, or what follows from it.
_PLAIN_CAUSES = (
    "no answer within the read timeout",
    "the connection was reset before the answer came",
    "the endpoint answered HTTP 500",
    "an answer that could not be read",
    "was throttled",
    "NetworkFault: ",
)


@pytest.mark.slow
@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_faults_on_the_way_are_never_blamed_on_the_endpoint(tmp_path: Path, kind: str) -> None:
    rate = _RATE.get(kind, 0.05)
    with ReferenceEndpoint() as endpoint, FaultProxy(endpoint.url, kind, rate=rate, seed=11) as proxy:
        foreign = _create_foreign_device(endpoint.url)
        started = time.monotonic()
        run = _run(tmp_path / "report", proxy.url)
        wall_s = time.monotonic() - started
        store = endpoint.app.context.store
        devices, users = set(store.devices), set(store.users)
    document = run.document
    output = run.stdout[-3000:] + run.stderr[-2000:]
    assert "Traceback" not in run.stdout + run.stderr, output
    faulted = {action for _, action in proxy.injected}
    assert faulted & _WRITES and faulted - _WRITES, f"faults on reads and on writes, not only {faulted}"
    blamed = [item for item in document["results"] if item["verdict"] in ("FAIL", "DEVIATION")]
    assert blamed == [], [(item["check"], item["case"], item["message"][:300]) for item in blamed]
    for item in document["results"]:
        if item["verdict"] == "ERROR":
            assert any(cause in item["message"] for cause in _PLAIN_CAUSES), item["message"]
            assert "Flaky" not in item["message"] and "sub-exception" not in item["message"]
    assert foreign in devices  # never touched: not the run's
    left = {(item["kind"], item["id"]) for item in document["leftovers"]}
    assert {("device", serial) for serial in devices - {foreign}} | {("user", name) for name in users} == left
    assert run.returncode == (3 if left else 1 if document["counts"]["ERROR"] else 0), output
    print(f"{kind}: {document['counts']}, leftovers {len(left)}, {wall_s:.0f} s, {proxy.requests} requests")
    print(f"  {dict(proxy.injected)}")


def _run(report_dir: Path, url: str) -> SuiteRun:
    env = {"IAM_CONFORMANCE_READ_TIMEOUT": "1"}
    return run_suite(report_dir, url=url, profile="quick", keyword=_KEYWORD, timeout=900, env=env)


def _create_foreign_device(url: str) -> str:
    """A device made by someone else before the run, on the endpoint itself (not through the proxy)."""
    iam = boto3.client(
        "iam", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    answer = iam.create_virtual_mfa_device(VirtualMFADeviceName=_FOREIGN)
    return str(answer["VirtualMFADevice"]["SerialNumber"])
