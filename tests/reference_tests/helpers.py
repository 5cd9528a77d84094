"""Clients and small readers shared by the reference endpoint's self-tests.

Two IAM clients, as the suite itself uses them: ``iam`` validates parameters like any boto3 user, ``raw``
does not (``parameter_validation=False``), so invalid values reach the server. Retries are off: a 500
must come back at once, and every answer is judged as it arrives.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import boto3
import pyotp
from botocore.config import Config
from botocore.exceptions import ClientError
from PIL import Image
from pyzbar import pyzbar

from tests.reference import Noise, ReferenceEndpoint

__all__ = [
    "Clients",
    "Running",
    "assert_error",
    "auth_codes",
    "clients_for",
    "new_device",
    "post_form",
    "qr_parts",
    "qr_uri",
    "running",
    "seed_bytes",
    "seed_text",
    "serials",
    "unique",
]

_SESSION = boto3.session.Session()


@dataclass
class Clients:
    iam: Any
    raw: Any
    sts: Any
    account_id: str

    def close(self) -> None:
        for client in (self.iam, self.raw, self.sts):
            client.close()


def clients_for(endpoint: ReferenceEndpoint) -> Clients:
    def make(service: str, validate: bool) -> Any:
        config = Config(retries={"total_max_attempts": 1}, parameter_validation=validate)
        return _SESSION.client(
            service,
            endpoint_url=endpoint.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=config,
        )

    return Clients(make("iam", True), make("iam", False), make("sts", True), endpoint.account_id)


@dataclass
class Running:
    endpoint: ReferenceEndpoint
    clients: Clients


@contextlib.contextmanager
def running(mutant: str | None = None, noise: Noise | None = None) -> Iterator[Running]:
    """A started endpoint (conformant, or the named mutant; with noise, if given) with its clients."""
    with ReferenceEndpoint(mutant=mutant, noise=noise) as endpoint:
        clients = clients_for(endpoint)
        try:
            yield Running(endpoint, clients)
        finally:
            clients.close()
        assert endpoint.app.internal_errors == [], "the reference endpoint crashed while answering"


def post_form(url: str, form: dict[str, str]) -> tuple[int, ElementTree.Element]:
    """POST a Query request as is (no signature, no client in between): the status and parsed body."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname or "", parsed.port, timeout=5)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/", body=urllib.parse.urlencode(form), headers=headers)
        response = connection.getresponse()
        return response.status, ElementTree.fromstring(response.read())
    finally:
        connection.close()


_counter = iter(range(1_000_000))


def unique(prefix: str = "dev") -> str:
    return f"{prefix}-{next(_counter)}"


def new_device(iam: Any, name: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """Create a device; return ``VirtualMFADevice`` with ``Name`` added."""
    name = name or unique()
    device: dict[str, Any] = iam.create_virtual_mfa_device(VirtualMFADeviceName=name, **kwargs)[
        "VirtualMFADevice"
    ]
    return {**device, "Name": name}


def serials(iam: Any, **kwargs: Any) -> list[str]:
    """Every serial the paginated ListVirtualMFADevices returns."""
    paginator = iam.get_paginator("list_virtual_mfa_devices")
    return [d["SerialNumber"] for page in paginator.paginate(**kwargs) for d in page["VirtualMFADevices"]]


def assert_error(call: Callable[[], Any], code: str, status: int, message: str | None = None) -> ClientError:
    """Call and return the ClientError; an AssertionError if there is none or it differs."""
    try:
        call()
    except ClientError as error:
        response = error.response
        found = (response.get("Error") or {}).get("Code")  # no Error at all: an answer no AWS document
        assert (found, response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
        if message is not None:
            assert response["Error"]["Message"] == message
        return error
    raise AssertionError(f"expected {status} {code}, the call succeeded")


def qr_uri(png: bytes) -> str:
    """The text of the one QR symbol in ``png``."""
    with Image.open(io.BytesIO(png)) as image:
        symbols = pyzbar.decode(image)
    assert len(symbols) == 1
    return str(symbols[0].data.decode("utf-8"))


def qr_parts(png: bytes) -> tuple[str, str, dict[str, list[str]]]:
    """(otp type, unquoted label, query) of the otpauth URI in ``png``."""
    parsed = urllib.parse.urlsplit(qr_uri(png))
    assert parsed.scheme == "otpauth"
    return parsed.netloc, urllib.parse.unquote(parsed.path[1:]), urllib.parse.parse_qs(parsed.query)


def seed_text(device: dict[str, Any]) -> str:
    return bytes(device["Base32StringSeed"]).decode("ascii")


def auth_codes(device: dict[str, Any], at: float | None = None) -> dict[str, str]:
    """Two consecutive TOTP codes, for windows t-1 and t, as EnableMFADevice wants them."""
    moment = time.time() if at is None else at
    totp = pyotp.TOTP(seed_text(device))
    return {
        "AuthenticationCode1": totp.at(moment, counter_offset=-1),
        "AuthenticationCode2": totp.at(moment),
    }


def seed_bytes(device: dict[str, Any]) -> bytes:
    return base64.b32decode(seed_text(device))
