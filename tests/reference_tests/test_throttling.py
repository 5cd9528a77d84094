"""The throttling switch: a seeded share of requests is refused as AWS throttles, and nothing else happens."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from tests.reference import Noise

from .helpers import Clients, post_form, running

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def _throttled(call: Callable[[], object]) -> bool:
    """Whether the call was answered 400 Throttling; any other error is raised."""
    try:
        call()
    except ClientError as error:
        response = error.response
        if (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) != ("Throttling", 400):
            raise
        return True
    return False


def _pattern(clients: Clients, requests: int) -> list[bool]:
    return [_throttled(clients.sts.get_caller_identity) for _ in range(requests)]


def test_the_share_is_close_to_the_rate_and_a_throttled_request_is_not_performed() -> None:
    rate, requests = 0.25, 400
    with running(noise=Noise(throttle_rate=rate, seed=11)) as run:
        iam, names = run.clients.iam, [f"user-{index}" for index in range(requests)]
        refused: set[str] = set()
        for name in names:
            if _throttled(lambda: iam.create_user(UserName=name)):  # noqa: B023 (called at once)
                refused.add(name)
        kept = set(run.endpoint.app.context.store.users)
    assert abs(len(refused) / requests - rate) < 0.06  # 0.06: about 3 standard deviations at 400
    assert kept == set(names) - refused


@pytest.mark.parametrize(
    ("form", "namespace"),
    [
        ({"Action": "CreateVirtualMFADevice", "Version": "2010-05-08", "VirtualMFADeviceName": "x"}, IAM_NS),
        ({"Action": "GetCallerIdentity", "Version": "2011-06-15"}, STS_NS),
    ],
    ids=["iam", "sts"],
)
def test_a_throttled_answer_is_the_query_error_document(form: dict[str, str], namespace: str) -> None:
    with running(noise=Noise(throttle_rate=1.0)) as run:
        status, root = post_form(run.endpoint.url, form)
        assert run.endpoint.app.context.issued == []  # the create was not performed: no seed handed out
    assert status == 400
    assert root.tag == f"{{{namespace}}}ErrorResponse"
    assert root.findtext(f"{{{namespace}}}Error/{{{namespace}}}Type") == "Sender"
    assert root.findtext(f"{{{namespace}}}Error/{{{namespace}}}Code") == "Throttling"
    assert root.findtext(f"{{{namespace}}}Error/{{{namespace}}}Message") == "Rate exceeded"
    assert root.findtext(f"{{{namespace}}}RequestId")


def test_the_same_seed_throttles_the_same_requests_and_another_seed_others() -> None:
    noise = Noise(throttle_rate=0.5, seed=3)
    with running(noise=noise) as first, running(noise=noise) as again:
        pattern = _pattern(first.clients, 64)
        assert _pattern(again.clients, 64) == pattern
    with running(noise=Noise(throttle_rate=0.5, seed=4)) as other:
        assert _pattern(other.clients, 64) != pattern


def test_concurrent_requests_draw_each_decision_once() -> None:
    """Threads may take the draws in any order, but each draw goes to exactly one request."""
    noise = Noise(throttle_rate=0.3, seed=5)
    with running(noise=noise) as serial:
        expected = sum(_pattern(serial.clients, 200))
    with running(noise=noise) as parallel, ThreadPoolExecutor(max_workers=8) as pool:
        sts = parallel.clients.sts
        throttled = sum(pool.map(lambda _: _throttled(sts.get_caller_identity), range(200)))
    assert throttled == expected
