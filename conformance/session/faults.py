"""Faults on the way: an answer lost, cut off or mangled between the endpoint and the suite, or a 5xx
that does not come back. The endpoint is judged only on answers it really gave.

What counts as a fault of one request (`fault_of`): the connection reset or closed before the answer, no
answer within the read timeout, an endpoint that cannot be reached, an answer whose body cannot be read
(a garbled document), and a 5xx. Each is sent again, counted (``fault_retries``), as far as that is safe:

- a read (``List*``, ``Get*``) is sent again up to `READ_ATTEMPTS` times in all;
- a write is sent again up to `WRITE_ATTEMPTS` times in all, and what comes back tells whether the first
  was performed. A success means it was not (every write here is refused when performed twice, or is
  idempotent: tagging): that answer is judged. A refusal that only says "done already"
  (`_DONE_ALREADY`: EntityAlreadyExists for a create, NoSuchEntity for a delete, a code refused as used)
  means the first may have been performed and its answer was lost: nothing can be judged, and the run
  says so in plain words (`NetworkFault`, an ERROR), while what it made stays tracked for the sweep. Any
  other refusal is the endpoint's answer to the request (one refused is not performed): judged.

The same fault on every attempt is the endpoint's answer after all: a 5xx, or a body that is no AWS
document, is returned to be judged as before (an endpoint that answers 500 to a request always FAILs);
a reset or a timeout on every attempt is a `NetworkFault`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from botocore.exceptions import (
    BotoCoreError,
    ConnectionClosedError,
    ConnectionError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    ReadTimeoutError,
)

from conformance.session.calls import ApiCall, Reply, api_name
from conformance.session.clients import AWS_ERROR_DOCUMENT, ThrottledOut

__all__ = [
    "READ_ATTEMPTS",
    "UNREADABLE_ERROR_DOCUMENT",
    "WRITE_ATTEMPTS",
    "FaultInterrupt",
    "NetworkFault",
    "exchange",
    "fault_of",
]

UNREADABLE_ERROR_DOCUMENT = "an AWS error document that could not be read"
# What an AWS error code looks like ("ValidationError", "AWS.SimpleQueueService.NonExistentQueue"): a code
# with other characters is a document mangled on the way (an endpoint that sends one every time still
# has it judged, once it came back the same).
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
READ_ATTEMPTS = 4
WRITE_ATTEMPTS = 3
_READS = ("list_", "get_")
# Refusals that a write sent again gets when the first was performed: "done already".
_DONE_ALREADY = {
    "create_virtual_mfa_device": {"EntityAlreadyExists"},
    "create_user": {"EntityAlreadyExists"},
    "enable_mfa_device": {"EntityAlreadyExists", "InvalidAuthenticationCode"},
    "resync_mfa_device": {"InvalidAuthenticationCode"},
    "deactivate_mfa_device": {"NoSuchEntity"},
    "delete_virtual_mfa_device": {"NoSuchEntity"},
    "delete_user": {"NoSuchEntity"},
}


class NetworkFault(Exception):
    """A request whose answer was lost on the way, so that nothing can be judged (ERROR). The message
    says what happened in plain words."""


class FaultInterrupt(KeyboardInterrupt):
    """`NetworkFault` while a test runs: ends it at once, as `EndpointBroke` does, so that Hypothesis
    does not replay it (a fault that does not come back would read as a flaky check). The runner
    raises the `NetworkFault` in its place."""


Attempt = Reply | BaseException


def fault_of(attempt: Attempt) -> str | None:
    """The fault in plain words (None: a real answer): what a report says happened to the request."""
    if isinstance(attempt, ThrottledOut):
        return None  # throttled on every attempt: retried already, and not judged (raised as it is)
    if isinstance(attempt, ReadTimeoutError):
        return "no answer within the read timeout"
    if isinstance(attempt, ConnectionClosedError):
        return "the connection was reset before the answer came"
    if isinstance(attempt, EndpointConnectionError | ConnectTimeoutError):
        return "the endpoint could not be reached"
    if isinstance(attempt, HTTPClientError | ConnectionError):
        return f"the request failed on the way ({type(attempt).__name__})"
    if isinstance(attempt, BaseException):
        return None  # not on the way (a request the client refused to send, say): raised as it is
    rejection = attempt.rejection
    if rejection is None:
        return None
    if rejection.server_error:
        return f"the endpoint answered {rejection.describe()}"
    if rejection.status < 400 or (rejection.body and rejection.body != AWS_ERROR_DOCUMENT):
        return f"an answer that could not be read (HTTP {rejection.status}, {rejection.body or 'garbled'})"
    if rejection.code and not _CODE.fullmatch(rejection.code):
        return f"an answer that could not be read (HTTP {rejection.status}, an error code no service sends)"
    return None


def exchange(
    call: ApiCall, once: Callable[[ApiCall], Reply], resent: Callable[[], None], *, cleaning: bool = False
) -> Reply:
    """``once(call)``, sent again on a fault as far as that is safe (see the module); ``resent`` is
    called for each request sent again. Raises `NetworkFault` when nothing can be judged.

    ``cleaning``: the request only has to get something done (a delete at cleanup): "done already" is
    what it wanted, and is returned."""
    first = _attempt(call, once)
    fault = fault_of(first)
    if fault is None:
        return _result(first)
    read = call.operation.startswith(_READS)
    last: Attempt = first
    for _ in range((READ_ATTEMPTS if read else WRITE_ATTEMPTS) - 1):
        resent()
        last = _attempt(call, once)
        if fault_of(last) is not None:
            continue
        if isinstance(last, Reply) and not read and not cleaning and _done_already(call, last):
            assert last.rejection is not None
            raise NetworkFault(
                f"{fault} during {api_name(call.operation)}; sent again, it was refused as "
                f"{last.rejection.code}: the first may have been performed, so nothing is judged"
            )
        return _result(last)
    if isinstance(last, Reply):
        return last  # the endpoint's answer every time: judged
    attempts = READ_ATTEMPTS if read else WRITE_ATTEMPTS
    raise NetworkFault(f"{fault_of(last)} during {api_name(call.operation)}, on all {attempts} attempts")


def _attempt(call: ApiCall, once: Callable[[ApiCall], Reply]) -> Attempt:
    try:
        return once(call)
    except BotoCoreError as error:
        if fault_of(error) is None:
            raise
        failed: BaseException = error  # botocore has no type hints
        return failed


def _result(attempt: Attempt) -> Reply:
    if isinstance(attempt, BaseException):
        raise attempt
    return attempt


def _done_already(call: ApiCall, reply: Reply) -> bool:
    rejection = reply.rejection
    return rejection is not None and rejection.code in _DONE_ALREADY.get(call.operation, ())
