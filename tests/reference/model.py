"""The botocore service models, loaded once, as the single source of the endpoint's rules.

Every constraint, list limit, error status, XML namespace and result wrapper the endpoint uses comes from
``botocore/data/{iam,sts}/.../service-2.json`` at run time. Copying any of them by hand would let the
reference drift from the model that the suite checks against, and then it would no longer be "known good".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import botocore.session

__all__ = ["ErrorStatus", "error_status", "operation", "service", "service_for_action"]

IAM = "iam"
STS = "sts"


@dataclass(frozen=True)
class ErrorStatus:
    """How the model says an error code is answered on the wire."""

    status: int
    sender_fault: bool


# Errors the query protocol itself raises; they are not modeled shapes. AWS answers them 400 Sender
# ("Common Errors" in the IAM API reference).
_PROTOCOL_ERRORS = {"ValidationError", "InvalidAction", "MissingParameter", "MissingAction"}


@functools.cache
def service(name: str) -> Any:
    """The botocore ``ServiceModel`` of ``iam`` or ``sts``."""
    return botocore.session.get_session().get_service_model(name)


def service_for_action(action: str) -> str | None:
    """Which service answers ``action`` on the shared URL (STS for its operations, else IAM)."""
    for name in (STS, IAM):
        if action in service(name).operation_names:
            return name
    return None


def operation(service_name: str, action: str) -> Any:
    """The botocore ``OperationModel`` for ``action``."""
    return service(service_name).operation_model(action)


@functools.cache
def _error_table(service_name: str) -> dict[str, ErrorStatus]:
    model = service(service_name)
    table: dict[str, ErrorStatus] = {}
    for shape_name in model.shape_names:
        shape = model.shape_for(shape_name)
        error = shape.metadata.get("error")
        if shape.metadata.get("exception") and error:
            code = error.get("code", shape_name)
            table[code] = ErrorStatus(int(error.get("httpStatusCode", 400)), bool(error.get("senderFault")))
    return table


def known_error(service_name: str, code: str) -> bool:
    return code in _PROTOCOL_ERRORS or code in _error_table(service_name)


def error_status(service_name: str, code: str) -> ErrorStatus:
    """The status and fault side for ``code``; a code the model does not know is a 500 Receiver fault."""
    if code in _PROTOCOL_ERRORS:
        return ErrorStatus(400, True)
    found = _error_table(service_name).get(code)
    return found if found is not None else ErrorStatus(500, False)
