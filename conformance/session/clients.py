"""One client factory: the validating IAM client for valid requests, the unvalidated one for invalid
requests, and STS for the caller's account. Every request has bounded timeouts, and every call is
counted for the report.

boto3 validates some constraints on the client (required members, minimum lengths, types) and not
others; invalid inputs must reach the server, so they go through ``iam_unvalidated``, built with
``Config(parameter_validation=False)``.

Retries: only throttling, on every target (`ThrottlingRetry`). An answer that says the caller is over
its request rate (``Throttling``, ``ThrottlingException``, ``RequestLimitExceeded``, or HTTP 429) means
the request was not performed, so sending it again is safe for writes as for reads; it is resent after
an exponential, jittered backoff, and counted apart from the calls (``throttled_retries``). Nothing
else is resent: a 5xx, a reset or a timeout may come after the endpoint performed a write, and
botocore's own retries are switched off (``total_max_attempts`` 1: botocore reads the older
``max_attempts`` as *retries*, so ``max_attempts: 1`` would mean two attempts). A request still
throttled after the last attempt raises `ThrottledOut`: the check could not be judged (ERROR), never
a FAIL built on a throttling answer.
"""

from __future__ import annotations

import logging
import os
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError

from conformance import __version__
from conformance.session.targets import Endpoint
from strategies.model import botocore_session

__all__ = [
    "AWS_ERROR_DOCUMENT",
    "THROTTLING_CODES",
    "CallCounter",
    "Clients",
    "StatusRecorder",
    "ThrottledOut",
    "ThrottlingRetry",
    "body_kind",
    "make_clients",
]

_CONNECT_TIMEOUT_S = 5
# How long an answer may take. IAM_CONFORMANCE_READ_TIMEOUT (seconds) changes it: the suite's own tests
# of stalled answers set it low, so that a stall costs them seconds, not 20 s.
_READ_TIMEOUT_S = float(os.environ.get("IAM_CONFORMANCE_READ_TIMEOUT") or 20)
# The error codes by which AWS services refuse a request over the caller's rate, without performing it
# (botocore's retry handlers know them as throttling); any HTTP 429 answer is taken so too.
THROTTLING_CODES = frozenset({"Throttling", "ThrottlingException", "RequestLimitExceeded"})
_TOO_MANY_REQUESTS = 429
_THROTTLED_ATTEMPTS = 10  # attempts of one request while it is throttled, the first one included
# Backoff before retry n (1, 2, ...): a random share of min(cap, base * 2 ** (n - 1)) ("full jitter").
# Real AWS gets botocore's standard figures; an emulator that throttles is on this machine or nearby:
# its first retries come soon (a mean of 10 ms, then 20, 40, ...: a throttled request is answered
# before anything is done, and most are throttled once) and still grow to the cap, 2 s, by the eighth.
_BACKOFF_S = {"aws": (1.0, 20.0)}
_BACKOFF_DEFAULT_S = (0.02, 2.0)
_HURRIED_CAP_S = 0.1  # the longest backoff once the run is told to hurry


class _NoBodiesFilter(logging.Filter):
    """botocore logs response bodies at DEBUG, and a create response's body holds the seed and QR.

    Those records are dropped whatever level the user asked for (rule: secrets never reach a log).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


for _name in ("botocore.parsers", "botocore.endpoint", "botocore.httpsession", "urllib3.connectionpool"):
    logging.getLogger(_name).addFilter(_NoBodiesFilter())


@dataclass
class CallCounter:
    """What the suite sent: ``requests``, every HTTP request on the wire (botocore's ``before-send``,
    once per attempt); ``calls``, the API calls made (each once, however often it was sent); the
    throttled attempts sent again (``throttled_retries``: requests are calls plus these); and
    ``preflight``, the requests sent before the first test (`mark_preflight`), part of ``requests``.

    Counted under a lock: a step's views may be read side by side, from threads
    (`SuiteSession.side_by_side`), and a count written back out of order would be lost."""

    _last: int = 0
    _retries: int = 0
    _sent: int = 0
    preflight: int = 0
    fault_retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def increment(self, **_: Any) -> None:
        with self._lock:
            self._last += 1

    def sent(self, **_: Any) -> None:
        with self._lock:
            self._sent += 1

    def throttled(self) -> None:
        with self._lock:
            self._retries += 1

    def fault_resent(self) -> None:
        """A request sent again after a fault on the way (`conformance.session.faults`)."""
        with self._lock:
            self.fault_retries += 1

    def mark_preflight(self, earlier: int = 0) -> None:
        """The requests so far were the preflight; ``earlier``: sent before, by other clients."""
        self.preflight = self._sent + earlier

    @property
    def calls(self) -> int:
        return self._last

    @property
    def requests(self) -> int:
        return self._sent

    @property
    def throttled_retries(self) -> int:
        return self._retries


class ThrottledOut(BotoCoreError):  # type: ignore[misc]  # botocore has no type hints
    """Every attempt of a request was refused as over the request rate: nothing to judge (ERROR)."""

    fmt = "{operation} was throttled ({code}) on all {attempts} attempts: not judged"


@dataclass(frozen=True)
class ThrottlingRetry:
    """botocore's ``needs-retry`` hook, limited to throttling: the delay before the request is sent
    again, or None (not retried: the answer, or the exception, goes to the caller).

    botocore's endpoint calls it after every attempt, with the parsed answer (None when there was no
    answer at all: not retried here) and the number of attempts made so far.
    """

    counter: CallCounter
    # Set when the run is told to hurry (a second signal while it cleans up): backoffs are cut short,
    # but a throttled request is still sent again, so that no delete is skipped.
    hurry: threading.Event = field(default_factory=threading.Event)
    max_attempts: int = _THROTTLED_ATTEMPTS
    base_s: float = _BACKOFF_DEFAULT_S[0]
    cap_s: float = _BACKOFF_DEFAULT_S[1]
    draw: Callable[[], float] = random.random

    def __call__(self, attempts: int, response: Any, operation: Any = None, **_: Any) -> float | None:
        code = _throttling_code(response)
        if code is None:
            return None
        if attempts >= self.max_attempts:
            name = getattr(operation, "name", "the request")
            raise ThrottledOut(operation=name, code=code, attempts=attempts)
        self.counter.throttled()
        cap_s = _HURRIED_CAP_S if self.hurry.is_set() else self.cap_s
        return float(self.draw() * min(cap_s, self.base_s * 2 ** (attempts - 1)))


def _throttling_code(response: Any) -> str | None:
    """The throttling code of an answer (``HTTP 429`` for a 429 without one), or None."""
    if response is None:  # no answer: a reset or a timeout, which may follow a performed write
        return None
    http, parsed = response
    error = parsed.get("Error") if isinstance(parsed, dict) else None
    code = str(error.get("Code", "")) if isinstance(error, dict) else ""
    if code in THROTTLING_CODES:
        return code
    if getattr(http, "status_code", None) == _TOO_MANY_REQUESTS:
        return code or f"HTTP {_TOO_MANY_REQUESTS}"
    return None


AWS_ERROR_DOCUMENT = "an AWS error document"


def body_kind(headers: Mapping[str, str], body: bytes) -> str:
    """What an error answer's body is, in words for a report: an AWS error document (XML with a
    ``<Code>``), an HTML page, an empty body, or something else. Only the kind is kept, never the body."""
    text = body.strip()
    if not text:
        return "an empty body"
    content_type = str(headers.get("content-type", headers.get("Content-Type", ""))).lower()
    if "html" in content_type or text[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if b"<Code>" in text and b"<Error" in text:
        return AWS_ERROR_DOCUMENT
    return "a body that is not an AWS error document"


@dataclass
class StatusRecorder(threading.local):
    """The HTTP status of the last response, and what kind of body an error came in, read before
    botocore parses it. One of each per thread (a thread-local): the views read side by side
    (`SuiteSession.side_by_side`) each read the status of their own last response.

    An endpoint may answer with something that is no AWS document at all (moto's HTML error page);
    botocore then raises ``ResponseParserError`` without the status, or makes up an error code from
    the status (an empty 500 becomes code ``500``), and the checks need to know which it was.
    """

    last: int = 0
    kind: str = ""  # the body's kind (`body_kind`) when the last response was an error, else ""

    def record(self, response_dict: dict[str, Any], **_: Any) -> None:
        self.last = int(response_dict.get("status_code", 0))
        error = self.last >= 400
        self.kind = (
            body_kind(response_dict.get("headers", {}), response_dict.get("body", b"")) if error else ""
        )


@dataclass(frozen=True)
class Clients:
    iam: Any  # validating: valid requests
    iam_unvalidated: Any  # parameter_validation=False: invalid requests reach the server
    sts: Any
    counter: CallCounter
    status: StatusRecorder
    hurry: threading.Event = field(default_factory=threading.Event)  # see `ThrottlingRetry.hurry`


def make_clients(endpoint: Endpoint) -> Clients:
    session = botocore_session()  # the model's loader: the IAM model is parsed once in a process
    # The User-Agent header given once ("iam-conformance/0.x Botocore/1.x": an endpoint's logs, or
    # CloudTrail, name the suite). Left to botocore, it is assembled from some twenty parts twice for
    # every request (again to add the features the request used): about a sixth of what a call costs
    # the client's processor.
    user_agent = f"iam-conformance/{__version__} {session.user_agent_name}/{session.user_agent_version}"
    counter, status = CallCounter(), StatusRecorder()
    base_s, cap_s = _BACKOFF_S.get(endpoint.target, _BACKOFF_DEFAULT_S)
    hurry = threading.Event()
    retry = ThrottlingRetry(counter, hurry, base_s=base_s, cap_s=cap_s)

    def client(service: str, *, validate: bool = True) -> Any:
        config = Config(
            connect_timeout=_CONNECT_TIMEOUT_S,
            read_timeout=_READ_TIMEOUT_S,
            # One attempt as far as botocore's own retries go: an emulator's 5xx is an answer to
            # judge, and a write whose answer was lost must not be sent twice. Throttling: `retry`.
            retries={"total_max_attempts": 1, "mode": "standard"},
            parameter_validation=validate,
            user_agent=user_agent,
        )
        made = session.create_client(
            service,
            region_name=endpoint.region,
            endpoint_url=endpoint.url,
            config=config,
            **endpoint.credentials,  # none: botocore's default chain
        )
        made.meta.events.register("before-call", counter.increment)
        made.meta.events.register("before-send", counter.sent)
        made.meta.events.register("before-parse", status.record)
        made.meta.events.register("needs-retry", retry, unique_id="iam-conformance-throttling")
        return made

    return Clients(
        iam=client("iam"),
        iam_unvalidated=client("iam", validate=False),
        sts=client("sts"),
        counter=counter,
        status=status,
        hurry=hurry,
    )
