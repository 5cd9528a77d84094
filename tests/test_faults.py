"""Faults on the way (`conformance.session.faults`), shown on answers made up here: what is sent again,
what is judged, and what is an ERROR in plain words. End to end: `tests/test_fault_injection.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from conformance.session.calls import ApiCall, Rejection, Reply
from conformance.session.clients import AWS_ERROR_DOCUMENT, ThrottledOut
from conformance.session.faults import (
    READ_ATTEMPTS,
    UNREADABLE_ERROR_DOCUMENT,
    WRITE_ATTEMPTS,
    NetworkFault,
    exchange,
    fault_of,
)

CREATE = ApiCall("iam", "create_virtual_mfa_device", {"VirtualMFADeviceName": "d"}, "http://x", "us-east-1")
LIST = ApiCall("iam", "list_virtual_mfa_devices", {}, "http://x", "us-east-1")
DELETE = ApiCall("iam", "delete_virtual_mfa_device", {"SerialNumber": "arn"}, "http://x", "us-east-1")
RESET = ConnectionClosedError(endpoint_url="http://x")
STALL = ReadTimeoutError(endpoint_url="http://x")


def _ok(call: ApiCall) -> Reply:
    return Reply(call, {"done": True}, None)


def _refused(call: ApiCall, status: int, code: str, body: str = AWS_ERROR_DOCUMENT) -> Reply:
    return Reply(call, None, Rejection(call, status, code, "", "Sender", body, True))


def _answers(*answers: Reply | Exception) -> tuple[list[int], object]:
    """``once`` giving these answers in turn, and the list counting the requests sent again."""
    queue: Iterator[Reply | Exception] = iter(answers)
    resent: list[int] = []

    def once(call: ApiCall) -> Reply:
        answer = next(queue)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return resent, once


def _exchange(call: ApiCall, *answers: Reply | Exception, cleaning: bool = False) -> tuple[Reply, int]:
    resent, once = _answers(*answers)
    reply = exchange(call, once, lambda: resent.append(1), cleaning=cleaning)  # type: ignore[arg-type]
    return reply, len(resent)


def test_a_read_is_sent_again_after_a_reset_and_its_answer_judged() -> None:
    reply, resent = _exchange(LIST, RESET, STALL, _ok(LIST))
    assert reply.body == {"done": True} and resent == 2


def test_a_write_sent_again_after_a_5xx_is_judged_on_the_answer_it_then_gets() -> None:
    reply, resent = _exchange(CREATE, _refused(CREATE, 500, "InternalFailure"), _ok(CREATE))
    assert reply.body == {"done": True} and resent == 1
    # An invalid request refused the second time: that refusal is the endpoint's answer.
    reply, _ = _exchange(CREATE, RESET, _refused(CREATE, 400, "ValidationError"))
    assert reply.rejection is not None and reply.rejection.code == "ValidationError"


def test_a_write_whose_answer_was_lost_is_an_error_in_plain_words() -> None:
    with pytest.raises(NetworkFault) as raised:
        _exchange(CREATE, RESET, _refused(CREATE, 409, "EntityAlreadyExists"))
    assert str(raised.value) == (
        "the connection was reset before the answer came during CreateVirtualMFADevice; sent again, it was "
        "refused as EntityAlreadyExists: the first may have been performed, so nothing is judged"
    )


def test_the_same_5xx_every_time_is_the_endpoints_answer() -> None:
    failures = [_refused(CREATE, 500, "ServiceFailure")] * WRITE_ATTEMPTS
    reply, resent = _exchange(CREATE, *failures)
    assert reply.rejection is not None and reply.rejection.status == 500 and resent == WRITE_ATTEMPTS - 1
    html = [_refused(LIST, 500, "", "an HTML page")] * READ_ATTEMPTS
    reply, resent = _exchange(LIST, *html)
    assert (
        reply.rejection is not None and reply.rejection.body == "an HTML page" and resent == READ_ATTEMPTS - 1
    )


def test_a_reset_every_time_is_an_error() -> None:
    with pytest.raises(NetworkFault, match="during ListVirtualMFADevices, on all 4 attempts"):
        _exchange(LIST, *[RESET] * READ_ATTEMPTS)


def test_a_delete_at_cleanup_takes_done_already_for_done() -> None:
    reply, _ = _exchange(DELETE, STALL, _refused(DELETE, 404, "NoSuchEntity"), cleaning=True)
    assert reply.rejection is not None and reply.rejection.code == "NoSuchEntity"
    with pytest.raises(NetworkFault):
        _exchange(DELETE, STALL, _refused(DELETE, 404, "NoSuchEntity"))


def test_what_is_no_fault_is_neither_sent_again_nor_hidden() -> None:
    reply, resent = _exchange(CREATE, _refused(CREATE, 409, "EntityAlreadyExists"))
    assert reply.rejection is not None and resent == 0
    throttled = ThrottledOut(operation="CreateVirtualMFADevice", code="Throttling", attempts=10)
    assert fault_of(throttled) is None
    with pytest.raises(ThrottledOut):
        _exchange(CREATE, throttled)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (RESET, "the connection was reset before the answer came"),
        (STALL, "no answer within the read timeout"),
        (_refused(LIST, 200, "", ""), "an answer that could not be read (HTTP 200, garbled)"),
        (_refused(LIST, 503, "ServiceUnavailable"), "the endpoint answered HTTP 503 ServiceUnavailable"),
        (_refused(LIST, 400, "", UNREADABLE_ERROR_DOCUMENT), "an answer that could not be read (HTTP 400"),
        (_refused(LIST, 400, "V;63>;.35nError"), "an answer that could not be read (HTTP 400, an error code"),
    ],
)
def test_each_fault_is_said_in_plain_words(answer: Reply | Exception, words: str) -> None:
    said = fault_of(answer)
    assert said is not None and said.startswith(words)
