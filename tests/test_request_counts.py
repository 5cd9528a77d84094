"""``api_calls`` counts every request the run sent: the checks' own, throttled requests sent again, the
health watch's reads, the sweep's, and the preflight (the command's own check of the endpoint and the
session's), which the report also shows apart (``preflight_calls``, ``throttled_retries``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reference import Noise, ReferenceEndpoint
from tests.suite_runner import run_suite


@pytest.mark.slow
def test_api_calls_is_every_request_the_endpoint_received(tmp_path: Path) -> None:
    endpoint = ReferenceEndpoint(noise=Noise(throttle_rate=0.05, seed=7))
    received: list[str] = []
    endpoint.app.taps.append(lambda request: received.append(request.form.get("Action", "") or request.path))
    with endpoint:
        run = run_suite(tmp_path / "report", url=endpoint.url, profile="quick", keyword="paging")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    document = run.document
    api_requests = [action for action in received if not action.startswith("/")]  # not the label's probes
    assert document["api_calls"] == len(api_requests), sorted(set(received))
    assert len(received) - len(api_requests) <= 3  # the endpoint is asked what it is once, not per result
    assert document["throttled_retries"] > 0
    # The command's check, the session's own check and its identity (STS, account aliases).
    assert document["preflight_calls"] >= 3
    assert received[0] == "ListVirtualMFADevices"
    header = run.stdout.split("IAM virtual MFA conformance: ", 1)[1].splitlines()[0]
    assert f"{document['api_calls']} API calls: {document['preflight_calls']} preflight, " in header
