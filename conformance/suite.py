"""The session the conformance tests work through: clients, the caller's identity, and cleanup.

It is opened once per run (by the plugin, before the first conformance test) and closed at the end,
when every device still tracked is deleted. Opening it probes the endpoint, so that a wrong URL, a
server that is down or rejected credentials end the run with one clear line before any test runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from conformance.cleanup import ResourceTracker
from conformance.clients import Clients, make_clients
from conformance.config import RunConfig
from conformance.observations import ApiCall, CreatedDevice, CreateRejected, Identity
from conformance.redaction import Secret
from conformance.targets import Endpoint, EndpointError, open_endpoint

__all__ = ["SuiteSession", "open_suite", "preflight"]

_CREDENTIAL_ERRORS = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "ExpiredToken",
        "AccessDenied",
        "AccessDeniedException",
        "InvalidAccessKeyId",
    }
)
_SECRET_MEMBERS = ("Base32StringSeed", "QRCodePNG")


@dataclass
class SuiteSession:
    config: RunConfig
    endpoint: Endpoint
    clients: Clients
    identity: Identity
    tracker: ResourceTracker

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints every argument of a failing test: the session is one short word."""
        printer.text(f"<{self.endpoint.target} session>")

    def call(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> ApiCall:
        return ApiCall("iam", operation, dict(params), self.endpoint.url, self.endpoint.region, validated)

    @contextlib.contextmanager
    def create_device(self, params: Mapping[str, Any]) -> Iterator[CreatedDevice | CreateRejected]:
        """Create a device, hand over what came back, and delete the device afterwards."""
        call = self.call("create_virtual_mfa_device", params)
        attempt = self.tracker.attempt_device(
            str(params.get("Path", "/")), str(params["VirtualMFADeviceName"])
        )
        rejection: CreateRejected | None = None
        try:
            response = self.clients.iam.create_virtual_mfa_device(**params)
        except ClientError as error:
            rejection = _rejection(call, error)
        if rejection is not None:  # yielded outside the handler, so no failure chains onto the error
            if rejection.code == "EntityAlreadyExists":
                self.tracker.settle_attempt(attempt, None)  # the device there is not ours
            # Any other rejection stays an open attempt: a non-atomic endpoint may have stored it.
            yield rejection
            return
        device = _created_device(call, self.identity, response["VirtualMFADevice"])
        del response  # the raw response holds the seed and QR unwrapped
        self.tracker.settle_attempt(attempt, device.serial_number)
        try:
            yield device
        finally:
            if device.serial_number:
                self.tracker.release_device(device.serial_number)


def _created_device(call: ApiCall, identity: Identity, member: dict[str, Any]) -> CreatedDevice:
    seed, qr_png = (member.pop(name, None) for name in _SECRET_MEMBERS)
    serial_number = member.pop("SerialNumber", None)
    return CreatedDevice(
        call=call,
        identity=identity,
        serial_number=serial_number,
        seed=Secret(seed) if seed is not None else None,
        qr_png=Secret(qr_png) if qr_png is not None else None,
        other_members=frozenset(member),
    )


def _all_device_serials(clients: Clients) -> Iterator[str]:
    paginator = clients.iam.get_paginator("list_virtual_mfa_devices")
    for page in paginator.paginate(AssignmentStatus="Any"):
        for device in page.get("VirtualMFADevices", ()):
            yield str(device["SerialNumber"])


def _rejection(call: ApiCall, error: ClientError) -> CreateRejected:
    details = error.response.get("Error", {})
    return CreateRejected(
        call=call,
        status=int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)),
        code=str(details.get("Code", "")),
        message=str(details.get("Message", "")),
        fault=str(details.get("Type", "")),
    )


@contextlib.contextmanager
def open_suite(config: RunConfig) -> Iterator[SuiteSession]:
    with open_endpoint(config) as endpoint:
        clients = make_clients(endpoint)
        _probe(endpoint, clients)
        session = SuiteSession(
            config=config,
            endpoint=endpoint,
            clients=clients,
            identity=_identity(endpoint, clients),
            tracker=ResourceTracker(
                delete_device=lambda serial: clients.iam.delete_virtual_mfa_device(SerialNumber=serial),
                list_device_serials=lambda: _all_device_serials(clients),
            ),
        )
        try:
            yield session
        finally:
            leftovers = session.tracker.sweep()
            if leftovers:
                raise EndpointError("could not delete devices the suite created: " + "; ".join(leftovers))


def preflight(config: RunConfig) -> None:
    """Probe an endpoint the suite does not start itself; raise `EndpointError` if it is unusable."""
    if config.is_local:
        return
    with open_endpoint(config) as endpoint:
        _probe(endpoint, make_clients(endpoint))


def _probe(endpoint: Endpoint, clients: Clients) -> None:
    """One cheap read: does the endpoint answer as IAM, with our credentials?"""
    where = endpoint.url or f"AWS ({endpoint.region})"
    try:
        clients.iam.list_virtual_mfa_devices(MaxItems=1)
    except EndpointConnectionError:
        raise EndpointError(f"cannot connect to the IAM endpoint at {where}: is it running?") from None
    except (ConnectTimeoutError, ReadTimeoutError):
        raise EndpointError(f"the IAM endpoint at {where} did not answer in time") from None
    except NoCredentialsError:
        raise EndpointError("no AWS credentials found: configure a profile or AWS_* variables") from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        if code in _CREDENTIAL_ERRORS:
            raise EndpointError(
                f"the endpoint at {where} rejected the credentials: {code}: {message}"
            ) from None
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        raise EndpointError(
            f"the endpoint at {where} does not answer as IAM (ListVirtualMFADevices gave HTTP {status}"
            f"{', ' + code if code else ''})"
        ) from None
    except BotoCoreError as error:
        raise EndpointError(f"cannot use the IAM endpoint at {where}: {error}") from None


def _identity(endpoint: Endpoint, clients: Clients) -> Identity:
    partition = boto3.session.Session().get_partition_for_region(endpoint.region)
    try:
        account_id = str(clients.sts.get_caller_identity()["Account"])
    except (ClientError, BotoCoreError):
        account_id = None  # the endpoint offers no STS: checks then accept any 12-digit account
    return Identity(account_id=account_id, partition=partition)
