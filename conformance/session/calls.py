"""One way to send a call and classify its answer.

Every request the suite makes goes through `SuiteSession.send`, which returns a `Reply`: the request as
sent (`ApiCall`; `conformance.session.reproduction` turns a sequence of them into a script) and either
the response body or the `Rejection` the endpoint answered with. An error answer is never an exception
here; what a caller does with it is one of three words on the reply:

- ``reply.rejection``: the refusal (None: the call succeeded), for a check to judge;
- ``reply.offered()``: the same reply, unless the endpoint does not offer the operation at all, which
  raises `OperationMissing` (the verdict layer makes that NOT_IMPLEMENTED);
- ``reply.needed()``: the body of a call the scenario cannot do without; a refusal raises
  `OperationMissing` or `EndpointFailure` (we could not judge: ERROR).

This module knows nothing of verdicts: it only says what happened.
"""

from __future__ import annotations

import unittest
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from botocore.exceptions import ClientError

from conformance.session.clients import AWS_ERROR_DOCUMENT

__all__ = [
    "NON_AWS_BODY",
    "ApiCall",
    "EndpointFailure",
    "OperationMissing",
    "Rejection",
    "Reply",
    "ServerFault",
    "api_name",
    "rejection_from",
]


_SHOWN_TAGS = 3  # tags listed by key when a call is shown; more are counted


def api_name(operation: str) -> str:
    """boto3's snake_case name as the API spells it: ``enable_mfa_device`` -> ``EnableMFADevice``."""
    return "".join(part.capitalize() for part in operation.split("_")).replace("Mfa", "MFA")


@dataclass(frozen=True)
class ApiCall:
    """A request as sent: enough to send it again (`conformance.session.reproduction`)."""

    service: str
    operation: str  # boto3's snake_case method name
    params: Mapping[str, Any]
    endpoint_url: str | None
    region: str
    validated: bool = True

    def shown(self) -> str:
        """The call as a report shows it: ``DeleteUser(UserName='u1')``; authentication codes are named,
        not shown, and long tag lists counted."""
        arguments = []
        for name, value in self.params.items():
            if name.startswith("AuthenticationCode"):
                continue
            if name in ("Tags", "TagKeys") and isinstance(value, list):
                # .get: an invalid tag list (a tag without a Key) is shown too
                keys = [item.get("Key") if isinstance(item, Mapping) else item for item in value]
                shown = ", ".join(repr(key) for key in keys[:_SHOWN_TAGS])
                more = f", ... {len(keys)} in all" if len(keys) > _SHOWN_TAGS else ""
                arguments.append(f"{name}=[{shown}{more}]")
            else:
                arguments.append(f"{name}={value!r}")
        if "AuthenticationCode1" in self.params:
            arguments.append("two authentication codes")
        return f"{api_name(self.operation)}({', '.join(arguments)})"


# Error codes and answers by which an endpoint says it lacks an operation. moto answers an IAM action it
# does not implement with an HTML "500 Internal Server Error" page, which is no AWS error document.
_NOT_IMPLEMENTED_CODES = frozenset(
    {"InvalidAction", "NotImplemented", "NotImplementedException", "UnknownOperationException"}
)
NON_AWS_BODY = "an answer that is not an AWS error document (no Code, no Message)"


@dataclass(frozen=True)
class Rejection:
    """A request the endpoint refused: what came back, for checks on errors."""

    call: ApiCall
    status: int
    code: str  # empty when the answer was not an AWS error document at all
    message: str
    fault: str  # "Sender" or "Receiver", as the error response said (empty if absent)
    body: str = ""  # what the body was: "an AWS error document", "an HTML page", "an empty body", ...
    # The endpoint answered this operation with success earlier in the run: it offers the operation,
    # so an answer without a code is its failure, not its way of saying the operation is missing.
    offered: bool = False

    @property
    def server_error(self) -> bool:
        """A 5xx: the endpoint failed the request, whatever the request was (a FAIL in every check)."""
        return self.status >= 500

    @property
    def not_implemented(self) -> bool:
        """The endpoint does not offer the operation (as opposed to refusing this request)."""
        return (
            self.code in _NOT_IMPLEMENTED_CODES
            or self.status == 501
            or (not self.code and self.server_error and not self.offered)
        )

    def describe(self) -> str:
        """``HTTP 500 InternalError: boom (an AWS error document)``: the body's kind is said for a 5xx,
        and for any answer that was not an AWS error document."""
        text = f"HTTP {self.status} {self.code or '(no code)'}"
        text += f": {self.message}" if self.message else ""
        shown = self.body and (self.server_error or self.body != AWS_ERROR_DOCUMENT)
        return text + (f" ({self.body})" if shown else "")

    def unexpected(self) -> NoReturn:
        """This refused a call the scenario needed: `OperationMissing`, `ServerFault` for a 5xx, or
        else `EndpointFailure`."""
        if self.not_implemented:
            raise OperationMissing.of(self)
        if self.server_error:
            raise ServerFault(self)
        raise EndpointFailure(f"{api_name(self.call.operation)} failed: {self.describe()}")


def rejection_from(call: ApiCall, error: ClientError, body: str = "", offered: bool = False) -> Rejection:
    """The refusal in ``error``; ``body`` is its body's kind. A code botocore made up because the body
    was no AWS error document (an empty 500 becomes code ``500``) is not the endpoint's: left out."""
    details = error.response.get("Error") or {}
    from_endpoint = body in ("", AWS_ERROR_DOCUMENT)
    return Rejection(
        call=call,
        status=int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)),
        code=str(details.get("Code", "")) if from_endpoint else "",
        message=str(details.get("Message", "")) if from_endpoint else "",
        fault=str(details.get("Type", "")),
        body=body,
        offered=offered,
    )


class OperationMissing(unittest.SkipTest):
    """The endpoint does not offer an operation a scenario needs (the verdict: NOT_IMPLEMENTED).

    A `unittest.SkipTest`, so that it ends a Hypothesis test at once (no shrinking, no replay: nothing
    about the input made the operation missing) and is a skip to any test runner.
    """

    def __init__(self, operation: str, answer: str) -> None:
        super().__init__(f"{operation} ({answer})")
        self.operation = operation
        self.answer = answer

    @classmethod
    def of(cls, rejection: Rejection) -> OperationMissing:
        return cls(api_name(rejection.call.operation), rejection.describe())


class NotSent(unittest.SkipTest):
    """A request the run may not send here (a path outside its prefix on AWS, the call budget spent):
    the check is SKIP, saying why. A `unittest.SkipTest`, so that Hypothesis stops at once."""


class EndpointFailure(AssertionError):
    """A call the scenario relied on failed: the check cannot be judged (ERROR)."""


class ServerFault(EndpointFailure):
    """A call the scenario relied on answered 5xx: the endpoint failed a valid request (FAIL)."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(f"{api_name(rejection.call.operation)} failed: {rejection.describe()}")
        self.rejection = rejection


@dataclass(frozen=True)
class Reply:
    """What one request got: the body (None when refused) or the `Rejection`."""

    call: ApiCall
    body: dict[str, Any] | None
    rejection: Rejection | None

    def offered(self) -> Reply:
        """This reply, unless the endpoint lacks the operation: then `OperationMissing`."""
        if self.rejection is not None and self.rejection.not_implemented:
            raise OperationMissing.of(self.rejection)
        return self

    def needed(self) -> dict[str, Any]:
        """The body of a call the scenario cannot do without; a refusal ends the scenario."""
        if self.rejection is not None:
            self.rejection.unexpected()
        assert self.body is not None
        return self.body
