"""Which error codes an operation may answer, and with which HTTP status.

Two sources. The operation's modeled errors come from botocore's model (code, ``httpStatusCode``,
``senderFault``). The errors every action may return are documented on the IAM API Reference page
"Common Errors" (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html); the model
does not carry them, so that documented table is kept here, the one table in the suite not read from
the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from conformance.judging.outcomes import Miss, Outcome, Pass, Skip, Unsupported
from conformance.session.calls import Rejection
from strategies.model import operation_errors

__all__ = [
    "COMMON_ERRORS",
    "ErrorEntry",
    "error_entry",
    "judge_status",
    "known_codes",
    "refused_with",
    "unsupported",
]


@dataclass(frozen=True)
class ErrorEntry:
    code: str
    http_status: int
    sender_fault: bool
    source: str  # "model" or "common errors"


# IAM API Reference, "Common Errors": code -> HTTP status. All are client faults but the 5xx ones.
COMMON_ERRORS: Mapping[str, int] = MappingProxyType(
    {
        "AccessDeniedException": 400,
        "IncompleteSignature": 400,
        "InternalFailure": 500,
        "InvalidAction": 400,
        "InvalidClientTokenId": 403,
        "InvalidParameterCombination": 400,
        "InvalidParameterValue": 400,
        "InvalidQueryParameter": 400,
        "MalformedQueryString": 404,
        "MissingAction": 400,
        "MissingAuthenticationToken": 403,
        "MissingParameter": 400,
        "NotAuthorized": 400,
        "OptInRequired": 403,
        "RequestExpired": 400,
        "ServiceUnavailable": 503,
        "ThrottlingException": 400,
        "ValidationError": 400,
    }
)


def error_entry(operation: str, code: str) -> ErrorEntry | None:
    """What the model (first) or the common-errors table says of ``code`` for ``operation``."""
    modeled = operation_errors(operation).get(code)
    if modeled is not None:
        return ErrorEntry(code, modeled.http_status, modeled.sender_fault, "model")
    status = COMMON_ERRORS.get(code)
    if status is not None:
        return ErrorEntry(code, status, status < 500, "common errors")
    return None


def known_codes(operation: str) -> tuple[str, ...]:
    return tuple(sorted({*operation_errors(operation), *COMMON_ERRORS}))


def judge_status(operation: str, rejection: Rejection, code_check: str) -> Outcome:
    """Whether ``rejection`` has the HTTP status its code has in the tables; an unknown code is left
    to ``code_check``, the check that judges codes."""
    entry = error_entry(operation, rejection.code)
    if entry is None:
        return Skip(f"the error code is not a known one ({code_check})")
    if rejection.status == entry.http_status:
        return Pass()
    return Miss(f"HTTP {entry.http_status} for {entry.code} ({entry.source})", rejection.describe())


def unsupported(operation: str, answer: Rejection | None) -> Unsupported | None:
    """`Unsupported` when ``answer`` says the endpoint lacks ``operation`` (NOT_IMPLEMENTED, not FAIL)."""
    if answer is not None and answer.not_implemented:
        return Unsupported(operation, answer.describe())
    return None


def refused_with(operation: str, answer: Rejection | None, code: str, what: str) -> Outcome:
    """Whether ``answer`` (None: the call succeeded) refused the request with ``code`` and the HTTP
    status the model gives that code for ``operation``; ``what`` says why it should have been."""
    entry = error_entry(operation, code)
    status = entry.http_status if entry is not None else None
    expected = f"HTTP {status} {code}: {what}"
    if answer is None:
        return Miss(expected, "HTTP 200: the call succeeded")
    if (answer.code, answer.status) == (code, status):
        return Pass()
    return unsupported(operation, answer) or Miss(expected, answer.describe())
