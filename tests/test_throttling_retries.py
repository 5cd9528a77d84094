"""Throttling answers are retried, with backoff, on every target and for writes as for reads (a throttled
request was not performed), and counted apart from the calls; nothing else is ever sent again.

The hook is shown on answers made up here, and end to end on the reference endpoint's throttling switch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.session import clients as clients_module
from conformance.session.clients import CallCounter, ThrottledOut, ThrottlingRetry, make_clients
from conformance.session.targets import Endpoint
from reports.model import RunResult
from tests.reference import Noise, ReferenceEndpoint

_OPERATION = SimpleNamespace(name="CreateVirtualMFADevice")


def _answer(status: int, code: str | None) -> tuple[Any, dict[str, Any]]:
    parsed: dict[str, Any] = {"ResponseMetadata": {"HTTPStatusCode": status}}
    if code is not None:
        parsed["Error"] = {"Code": code, "Message": "..."}
    return SimpleNamespace(status_code=status), parsed


def _retry(counter: CallCounter) -> ThrottlingRetry:
    return ThrottlingRetry(counter, max_attempts=4, base_s=0.1, cap_s=0.3, draw=lambda: 1.0)


@pytest.mark.parametrize(
    "answer",
    [
        _answer(400, "Throttling"),
        _answer(400, "ThrottlingException"),
        _answer(503, "RequestLimitExceeded"),
        _answer(429, "TooManyRequestsException"),
        _answer(429, None),
    ],
)
def test_a_throttling_answer_is_retried_after_a_growing_capped_backoff(answer: Any) -> None:
    counter = CallCounter()
    retry = _retry(counter)
    delays = [retry(attempts=n, response=answer, operation=_OPERATION) for n in (1, 2, 3)]
    assert delays == [0.1, 0.2, 0.3]
    assert counter.throttled_retries == 3 and counter.calls == 0


@pytest.mark.parametrize(
    "answer",
    [
        _answer(200, None),
        _answer(500, "ServiceFailure"),  # may follow a performed write: not resent
        _answer(500, None),
        _answer(503, "ServiceUnavailable"),
        _answer(409, "EntityAlreadyExists"),
        _answer(409, "LimitExceeded"),  # IAM's own "too many tags", not a request rate
        None,  # no answer at all (a reset, a timeout)
    ],
)
def test_nothing_else_is_retried(answer: Any) -> None:
    counter = CallCounter()
    assert _retry(counter)(attempts=1, response=answer, operation=_OPERATION) is None
    assert counter.throttled_retries == 0


def test_throttled_on_every_attempt_is_not_an_answer_to_judge() -> None:
    counter = CallCounter()
    with pytest.raises(ThrottledOut, match=r"CreateVirtualMFADevice was throttled \(Throttling\) on all 4"):
        _retry(counter)(attempts=4, response=_answer(400, "Throttling"), operation=_OPERATION)
    assert counter.throttled_retries == 0


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clients_module, "_BACKOFF_DEFAULT_S", (0.0, 0.0))


def _clients(url: str) -> Any:
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return make_clients(Endpoint("url", url, "us-east-1", credentials))


@pytest.fixture
def counting() -> Iterator[tuple[ReferenceEndpoint, list[str]]]:
    """A reference endpoint throttling a third of the requests, and the actions it was sent, in order."""
    endpoint = ReferenceEndpoint(noise=Noise(throttle_rate=0.3, seed=5))
    seen: list[str] = []
    endpoint.app.taps.append(lambda request: seen.append(request.form.get("Action", "")))
    with endpoint:
        yield endpoint, seen


@pytest.mark.usefixtures("no_backoff")
def test_throttled_writes_and_reads_are_sent_again_until_performed_and_counted(
    counting: tuple[ReferenceEndpoint, list[str]],
) -> None:
    endpoint, seen = counting
    clients = _clients(endpoint.url)
    names = [f"user-{index}" for index in range(30)]
    for name in names:
        clients.iam.create_user(UserName=name)  # never a Throttling error
        assert clients.iam.get_user(UserName=name)["User"]["UserName"] == name
    assert set(endpoint.app.context.store.users) == set(names)  # each created, none twice (409)
    counter = clients.counter
    assert counter.calls == 60 and counter.throttled_retries > 0
    assert len(seen) == counter.calls + counter.throttled_retries  # requests on the wire


@pytest.mark.usefixtures("no_backoff")
def test_a_server_error_is_answered_once() -> None:
    with ReferenceEndpoint(mutant="validation-as-500") as endpoint:
        clients = _clients(endpoint.url)
        with pytest.raises(ClientError) as refused:
            clients.iam_unvalidated.create_virtual_mfa_device(VirtualMFADeviceName="bad name")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert refused.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert clients.counter.throttled_retries == 0


@pytest.mark.usefixtures("no_backoff")
def test_an_endpoint_that_always_throttles_ends_in_throttled_out() -> None:
    with ReferenceEndpoint(noise=Noise(throttle_rate=1.0)) as endpoint:
        clients = _clients(endpoint.url)
        with pytest.raises(ThrottledOut):
            clients.iam.create_user(UserName="alice")
        assert endpoint.app.context.store.users == {}
    assert clients.counter.throttled_retries == clients_module._THROTTLED_ATTEMPTS - 1


def test_results_without_the_retry_count_still_load(tmp_path: Path) -> None:
    document = {
        "schema": "iam-conformance/results/1",
        "target": {"name": "url", "url": None, "region": "us-east-1", "version": None, "account_id": None},
        "suite_version": "0.1.0",
        "model_version": "m",
        "profile": "quick",
        "started": "s",
        "finished": "f",
        "api_calls": 3,
        "results": [],
    }
    assert RunResult.from_json(document).throttled_retries == 0
    counted = RunResult.from_json({**document, "throttled_retries": 4})
    assert counted.throttled_retries == 4
    assert json.loads(json.dumps(counted.to_json()))["throttled_retries"] == 4
