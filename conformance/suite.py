"""The session the conformance tests work through: clients, the caller's identity, and cleanup.

It is opened once per run (by the plugin, before the first conformance test) and closed at the end,
when every device still tracked is deleted. Opening it probes the endpoint, so that a wrong URL, a
server that is down or rejected credentials end the run with one clear line before any test runs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

import boto3
import pyotp
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from conformance.cleanup import ResourceTracker
from conformance.clients import Clients, make_clients
from conformance.config import RunConfig
from conformance.observations import (
    NON_AWS_BODY,
    ApiCall,
    CreatedDevice,
    Identity,
    ListedDevice,
    Listing,
    Rejection,
)
from conformance.redaction import Secret
from conformance.results import OperationNotImplemented
from conformance.targets import Endpoint, EndpointError, open_endpoint

__all__ = [
    "MAX_PAGES",
    "TOTP_STEP",
    "Consistency",
    "EndpointFailure",
    "SuiteSession",
    "open_suite",
    "preflight",
    "refused",
    "settle",
    "totp_codes",
    "totp_pair",
]

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
_POLL_FIRST_S, _POLL_MAX_S = 0.2, 2.0  # the first pause between polls, and the longest
MAX_PAGES = 200  # a list whose Markers never end is an endpoint failure, not a hang
T = TypeVar("T")


@dataclass
class Consistency:
    """How often reads had to be polled before they reflected a write, and for how long at most."""

    patience_s: float
    reads_polled: int = 0
    reads_unsettled: int = 0  # still not as expected when the patience ran out
    longest_s: float = 0.0


@dataclass
class SuiteSession:
    config: RunConfig
    endpoint: Endpoint
    clients: Clients
    identity: Identity
    tracker: ResourceTracker
    _tokens: int = 0
    # Did waiting for a fresh TOTP step ever turn a refused resync into an accepted one? (None: not
    # tried yet.) Once it did not, later resyncs do not wait: the wait cannot help that endpoint.
    resync_wait_helps: bool | None = None
    consistency: Consistency = field(default_factory=lambda: Consistency(0.0))

    def settle(self, read: Callable[[], T], expected: Callable[[T], bool]) -> T:
        """``read()``, polled on remote targets until it reflects a write (see `settle`)."""
        return settle(read, expected, self.consistency)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints every argument of a failing test: the session is one short word."""
        printer.text(f"<{self.endpoint.target} session>")

    def call(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> ApiCall:
        return ApiCall("iam", operation, dict(params), self.endpoint.url, self.endpoint.region, validated)

    def invoke(
        self, operation: str, params: Mapping[str, Any], *, validated: bool = True
    ) -> tuple[ApiCall, dict[str, Any] | Rejection]:
        """Send one IAM request; an error answer comes back as a `Rejection`, not an exception."""
        call = self.call(operation, params, validated=validated)
        client = self.clients.iam if validated else self.clients.iam_unvalidated
        try:
            response: dict[str, Any] = getattr(client, operation)(**params)
        except ClientError as error:
            return call, _rejection(call, error)
        except ResponseParserError:
            return call, Rejection(call, self.clients.status.last, "", NON_AWS_BODY, "")
        return call, response

    def answer(
        self, operation: str, params: Mapping[str, Any], *, validated: bool = True
    ) -> tuple[ApiCall, Rejection | None]:
        """A call whose refusal may be the verdict (None: it succeeded); an operation the endpoint
        lacks ends the test as NOT_IMPLEMENTED."""
        call, response = self.invoke(operation, params, validated=validated)
        if not isinstance(response, Rejection):
            return call, None
        _skip_if_not_implemented(operation, response)
        return call, response

    def require(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """A call a test needs to succeed: an operation the endpoint lacks ends it as NOT_IMPLEMENTED."""
        _, response = self.invoke(operation, params)
        if isinstance(response, Rejection):
            refused(operation, response)
        return response

    def entries(
        self,
        operation: str,
        params: Mapping[str, Any],
        member: str,
        keep: Callable[[Mapping[str, Any]], T],
    ) -> list[T] | Rejection:
        """Every entry of a list operation, following its Markers; each reduced by ``keep`` at once (a
        whole entry is never kept: a wrong one may carry the seed). A refused page is returned. A
        truncated page without a Marker, or a walk past `MAX_PAGES`, is an `EndpointFailure`."""
        request = dict(params)
        kept: list[T] = []
        for _ in range(MAX_PAGES):
            page = self.invoke(operation, request)[1]
            if isinstance(page, Rejection):
                return page
            kept += [keep(entry) for entry in page.get(member, ())]
            marker, truncated = page.get("Marker"), page.get("IsTruncated")
            del page
            if not truncated:
                return kept
            if not marker:
                raise EndpointFailure(f"{_pascal(operation)}: IsTruncated without a Marker")
            request = {**params, "Marker": marker}
        raise EndpointFailure(f"{_pascal(operation)}: still truncated after {MAX_PAGES} pages")

    def device_tags(self, serial: str) -> tuple[tuple[str, str], ...]:
        """Every (Key, Value) ListMFADeviceTags gives for ``serial``, all pages."""
        operation = "list_mfa_device_tags"
        tags = self.entries(
            operation, {"SerialNumber": serial}, "Tags", lambda tag: (tag["Key"], tag["Value"])
        )
        if isinstance(tags, Rejection):
            refused(operation, tags)
        return tuple(tags)

    @contextlib.contextmanager
    def create_device(
        self, params: Mapping[str, Any], *, validated: bool = True
    ) -> Iterator[CreatedDevice | Rejection]:
        """Create a device, hand over what came back, and delete the device afterwards.

        ``validated=False`` sends the request through the unvalidated client: invalid inputs.
        """
        attempt = self.tracker.attempt_device(
            str(params.get("Path", "/")), str(params.get("VirtualMFADeviceName", ""))
        )
        call, response = self.invoke("create_virtual_mfa_device", params, validated=validated)
        if isinstance(response, Rejection):
            if response.code == "EntityAlreadyExists":
                self.tracker.settle_attempt(attempt, None)  # the device there is not ours
            # Any other rejection stays an open attempt: a non-atomic endpoint may have stored it.
            yield response
            return
        device = _created_device(call, self.identity, response["VirtualMFADevice"])
        del response  # the raw response holds the seed and QR unwrapped
        self.tracker.settle_attempt(attempt, device.serial_number)
        try:
            yield device
        finally:
            if device.serial_number:
                # A refused delete keeps the device tracked: the final sweep retries and reports it,
                # and the check's own verdict is not replaced by the delete's error.
                with contextlib.suppress(ClientError, BotoCoreError):
                    self.tracker.release_device(device.serial_number)

    def unique_token(self) -> str:
        """A token no earlier request of this run used: ``u`` and a number, valid in names and paths."""
        self._tokens += 1
        return f"u{self._tokens}"

    @contextlib.contextmanager
    def user(self) -> Iterator[str]:
        """An IAM user of the run's own, deleted afterwards (its MFA devices deactivated first)."""
        name = f"vmfa-conformance-{self.unique_token()}"
        self.require("create_user", {"UserName": name})
        self.tracker.track_user(name)
        try:
            yield name
        finally:
            with contextlib.suppress(ClientError, BotoCoreError):  # kept for the final sweep
                self.tracker.release_user(name)

    def enable(self, user: str, device: CreatedDevice, *, correct: bool = True) -> dict[str, Any] | Rejection:
        """EnableMFADevice with two consecutive TOTP codes from the seed (or two wrong ones)."""
        assert device.seed is not None and device.serial_number is not None
        codes = totp_codes(device.seed, time.time(), correct=correct)
        params = {"UserName": user, "SerialNumber": device.serial_number, **codes}
        return self.invoke("enable_mfa_device", params)[1]

    def listing(self) -> Listing:
        """ListVirtualMFADevices under each AssignmentStatus, every page; member names kept, no values."""
        listing: dict[str, dict[str, ListedDevice]] = {}
        for status in ("Assigned", "Unassigned", "Any"):
            entries: dict[str, ListedDevice] = {}
            paginator = self.clients.iam.get_paginator("list_virtual_mfa_devices")
            for page in paginator.paginate(AssignmentStatus=status):
                for raw in page.get("VirtualMFADevices", ()):
                    user = raw.get("User") or {}
                    serial = str(raw.get("SerialNumber", ""))
                    entries[serial] = ListedDevice(serial, frozenset(raw), user.get("UserName"))
                del page  # an entry may (wrongly) carry the seed: only member names are kept
            listing[status] = entries
        return listing

    def device_serials(self) -> frozenset[str]:
        """Every device on the endpoint, assigned or not (every page)."""
        return frozenset(_all_device_serials(self.clients))


def settle(read: Callable[[], T], expected: Callable[[T], bool], consistency: Consistency) -> T:
    """``read()``, polled until ``expected`` holds of it or ``consistency.patience_s`` is spent.

    IAM is eventually consistent: a read right after a write may not reflect it yet. Local targets
    have no patience (one read); the last read is returned either way, for the check to judge, and
    ``consistency`` counts the reads that had to wait and the longest wait.
    """
    value = read()
    patience = consistency.patience_s
    if patience <= 0 or expected(value):
        return value
    started, pause = time.monotonic(), _POLL_FIRST_S
    while not expected(value) and time.monotonic() - started < patience:
        time.sleep(min(pause, max(0.0, patience - (time.monotonic() - started))))
        pause = min(pause * 2, _POLL_MAX_S)
        value = read()
    consistency.reads_polled += 1
    consistency.reads_unsettled += not expected(value)
    consistency.longest_s = max(consistency.longest_s, round(time.monotonic() - started, 3))
    return value


class EndpointFailure(AssertionError):
    """A call the test relied on failed: the test cannot judge its check (ERROR)."""


def refused(operation: str, rejection: Rejection) -> NoReturn:
    """A call the test needed was refused: NOT_IMPLEMENTED when the endpoint lacks it, else ERROR."""
    _skip_if_not_implemented(operation, rejection)
    raise EndpointFailure(f"{_pascal(operation)} failed: {rejection.describe()}")


def _skip_if_not_implemented(operation: str, rejection: Rejection) -> None:
    if rejection.not_implemented:
        raise OperationNotImplemented(_pascal(operation), rejection.describe())


def _pascal(operation: str) -> str:
    return "".join(part.capitalize() for part in operation.split("_")).replace("Mfa", "MFA")


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


def _delete_device(clients: Clients, serial_number: str) -> None:
    """Delete a device; one that is gone already (NoSuchEntity) counts as deleted."""
    try:
        clients.iam_unvalidated.delete_virtual_mfa_device(SerialNumber=serial_number)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NoSuchEntity":
            raise


def _delete_user(clients: Clients, name: str) -> None:
    for device in clients.iam.list_mfa_devices(UserName=name).get("MFADevices", ()):
        clients.iam.deactivate_mfa_device(UserName=name, SerialNumber=device["SerialNumber"])
    clients.iam.delete_user(UserName=name)


TOTP_STEP = 30  # seconds: RFC 6238's default time step, the one AWS virtual MFA devices use


def totp_codes(seed: Secret, now: float, *, correct: bool = True) -> dict[str, str]:
    """Two consecutive TOTP codes (RFC 6238: 30 s steps, 6 digits, SHA-1), as EnableMFADevice takes.

    The first is the previous step's and the second the current one's, as recorded against AWS: a
    step boundary falling between this and the server's check still leaves a consecutive pair the
    server accepts. Wrong codes are the right ones with every
    digit shifted: well-formed, and matching no nearby step.
    """
    return totp_pair(seed, int(now // TOTP_STEP), correct=correct)


def totp_pair(seed: Secret, step: int, *, correct: bool = True) -> dict[str, str]:
    """The codes of steps ``step - 1`` and ``step`` (or those codes with every digit shifted)."""
    totp = pyotp.TOTP(seed.reveal().decode("ascii"), interval=TOTP_STEP)
    first, second = totp.at((step - 1) * TOTP_STEP), totp.at(step * TOTP_STEP)
    if not correct:
        first, second = (_shifted(code) for code in (first, second))
    return {"AuthenticationCode1": first, "AuthenticationCode2": second}


def _shifted(code: str) -> str:
    return "".join(str((int(digit) + 5) % 10) for digit in code)


def _all_device_serials(clients: Clients) -> Iterator[str]:
    paginator = clients.iam.get_paginator("list_virtual_mfa_devices")
    for page in paginator.paginate(AssignmentStatus="Any"):
        for device in page.get("VirtualMFADevices", ()):
            yield str(device["SerialNumber"])


def _rejection(call: ApiCall, error: ClientError) -> Rejection:
    details = error.response.get("Error", {})
    return Rejection(
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
            consistency=Consistency(config.read_patience),
            identity=_identity(endpoint, clients),
            tracker=ResourceTracker(
                delete_device=lambda serial: _delete_device(clients, serial),
                list_device_serials=lambda: _all_device_serials(clients),
                delete_user=lambda name: _delete_user(clients, name),
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
    try:
        aliases = tuple(str(alias) for alias in clients.iam.list_account_aliases().get("AccountAliases", ()))
    except (ClientError, BotoCoreError):
        aliases = ()
    return Identity(account_id=account_id, partition=partition, account_aliases=aliases)
