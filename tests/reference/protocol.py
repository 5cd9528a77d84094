"""The AWS Query protocol, both directions, driven by the model's shapes.

Requests are form bodies (``Action``, ``Version``, ``Tags.member.1.Key`` ...); responses are XML in the
service's namespace with a ``<XResult>`` wrapper, base64 blobs and ISO 8601 timestamps. Walking the
botocore shapes instead of hand-writing each response guarantees that boto3 parses what we send, and
makes a mutant that adds a member (say the seed in a list entry) a one-line data change.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

__all__ = ["ApiError", "ServerPage", "parse_input", "render_error", "render_result", "request_id"]


class ApiError(Exception):
    """An error answer: the code picks the HTTP status (from the model), the message is sent as is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ServerPage(Exception):
    """An answer that is no AWS document at all: a web server's HTML error page (a mutant's crash)."""

    status = 500
    body = (
        b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>"
        b"<body><h1>Internal Server Error</h1></body></html>\n"
    )


def request_id() -> str:
    return str(uuid.uuid4())


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def parse_input(shape: Any, form: Mapping[str, str], prefix: str = "") -> Any:
    """The members of ``shape`` found in ``form`` (``None`` when absent), typed as boto3 sent them."""
    kind = shape.type_name
    if kind == "structure":
        found = {}
        for name, member in shape.members.items():
            value = parse_input(member, form, _join(prefix, member.serialization.get("name", name)))
            if value is not None:
                found[name] = value
        return found if found or not prefix else None
    if kind == "list":
        # botocore sends an empty list as the bare key with an empty value.
        if form.get(prefix) == "":
            return []
        # IAM lists are not flattened: Tags.member.N (N from 1).
        head = f"{prefix}.member."
        indexes = sorted({int(key[len(head) :].split(".")[0]) for key in form if _indexed(key, head)})
        if not indexes:
            return None
        items = [parse_input(shape.member, form, f"{head}{index}") for index in indexes]
        # An element named but empty (``Tags.member.1.Bogus=x``) is still an element, with no members.
        return [{} if item is None and shape.member.type_name == "structure" else item for item in items]
    raw = form.get(prefix)
    if raw is None:
        return None
    if kind in ("integer", "long"):
        try:
            return int(raw)
        except ValueError:
            raise ApiError(
                "ValidationError",
                f"1 validation error detected: Value '{raw}' at '{prefix[:1].lower()}{prefix[1:]}' "
                "failed to satisfy constraint: "
                "Member must be an integer",
            ) from None
    if kind == "boolean":
        return raw.lower() == "true"
    return raw


def _indexed(key: str, head: str) -> bool:
    return key.startswith(head) and key[len(head) :].split(".")[0].isdigit()


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fill(element: ElementTree.Element, shape: Any, value: Any) -> None:
    kind = shape.type_name
    if kind == "structure":
        unknown = set(value) - set(shape.members)
        if unknown:
            raise KeyError(f"{shape.name} has no members {sorted(unknown)}")
        for name, member in shape.members.items():
            if value.get(name) is not None:
                child = ElementTree.SubElement(element, member.serialization.get("name", name))
                _fill(child, member, value[name])
    elif kind == "list":
        for item in value:
            _fill(ElementTree.SubElement(element, "member"), shape.member, item)
    elif kind == "map":
        for key, item in value.items():
            entry = ElementTree.SubElement(element, "entry")
            _fill(ElementTree.SubElement(entry, "key"), shape.key, key)
            _fill(ElementTree.SubElement(entry, "value"), shape.value, item)
    elif kind == "blob":
        element.text = base64.b64encode(value).decode("ascii")
    elif kind == "timestamp":
        element.text = _timestamp(value)
    elif kind == "boolean":
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def _document(root: ElementTree.Element) -> bytes:
    body: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def render_result(operation: Any, namespace: str, result: Mapping[str, Any] | None, rid: str) -> bytes:
    """``<XResponse><XResult>..</XResult><ResponseMetadata>..`` for a successful call."""
    root = ElementTree.Element(f"{operation.name}Response", xmlns=namespace)
    output = operation.output_shape
    if output is not None and output.members:
        wrapper = output.serialization.get("resultWrapper", f"{operation.name}Result")
        _fill(ElementTree.SubElement(root, wrapper), output, dict(result or {}))
    metadata = ElementTree.SubElement(root, "ResponseMetadata")
    ElementTree.SubElement(metadata, "RequestId").text = rid
    return _document(root)


def render_error(namespace: str, code: str, message: str, sender_fault: bool, rid: str) -> bytes:
    """``<ErrorResponse><Error><Type>..</Type><Code>..</Code><Message>..`` as IAM and STS send it."""
    root = ElementTree.Element("ErrorResponse", xmlns=namespace)
    error = ElementTree.SubElement(root, "Error")
    ElementTree.SubElement(error, "Type").text = "Sender" if sender_fault else "Receiver"
    ElementTree.SubElement(error, "Code").text = code
    ElementTree.SubElement(error, "Message").text = message
    ElementTree.SubElement(root, "RequestId").text = rid
    return _document(root)
