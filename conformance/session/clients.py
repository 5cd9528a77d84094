"""One client factory: the validating IAM client for valid requests, the unvalidated one for invalid
requests, and STS for the caller's account. Every request has bounded timeouts and retries, and every
call is counted for the report.

boto3 validates some constraints on the client (required members, minimum lengths, types) and not
others; invalid inputs must reach the server, so they go through ``iam_unvalidated``, built with
``Config(parameter_validation=False)``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from conformance.session.targets import Endpoint

__all__ = ["AWS_ERROR_DOCUMENT", "CallCounter", "Clients", "StatusRecorder", "body_kind", "make_clients"]

_CONNECT_TIMEOUT_S = 5
_READ_TIMEOUT_S = 20
_MAX_ATTEMPTS = 3


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
    _counter: itertools.count[int] = field(default_factory=itertools.count)
    _last: int = 0

    def increment(self, **_: Any) -> None:
        self._last = next(self._counter) + 1

    @property
    def calls(self) -> int:
        return self._last


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
class StatusRecorder:
    """The HTTP status of the last response, and what kind of body an error came in, read before
    botocore parses it.

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


def make_clients(endpoint: Endpoint) -> Clients:
    session = boto3.session.Session(region_name=endpoint.region, **endpoint.credentials)
    counter, status = CallCounter(), StatusRecorder()
    # Retries only against real AWS (throttling): an emulator's 5xx is an answer to judge, and a
    # retried create could be sent twice.
    attempts = _MAX_ATTEMPTS if endpoint.target == "aws" else 1

    def client(service: str, *, validate: bool = True) -> Any:
        config = Config(
            connect_timeout=_CONNECT_TIMEOUT_S,
            read_timeout=_READ_TIMEOUT_S,
            retries={"max_attempts": attempts, "mode": "standard"},
            parameter_validation=validate,
        )
        made = session.client(service, endpoint_url=endpoint.url, config=config)
        made.meta.events.register("before-call", counter.increment)
        made.meta.events.register("before-parse", status.record)
        return made

    return Clients(
        iam=client("iam"),
        iam_unvalidated=client("iam", validate=False),
        sts=client("sts"),
        counter=counter,
        status=status,
    )
