"""The session the scenarios work through: one object that holds the run's ways to the endpoint.

It is opened once per run (by the plugin, before the first conformance test) and closed at the end,
when everything still tracked is deleted. Its jobs are each in a module of their own; this one only
binds them to the run's endpoint:

- sending a call and classifying the answer (`conformance.session.calls`: `send` -> `Reply`);
- paging (`conformance.session.paging`: `entries`, `listing`);
- the devices and users the run creates, and their cleanup (`conformance.session.resources`);
- reads polled until they reflect a write (`conformance.session.settling`);
- TOTP codes (`conformance.session.totp`), secrets (`conformance.session.secrets`);
- reaching the endpoint and knowing who we are there (`targets`, `clients`, `preflight`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from conformance.session import paging
from conformance.session.calls import (
    NON_AWS_BODY,
    ApiCall,
    EndpointFailure,
    OperationMissing,
    Rejection,
    Reply,
    rejection_from,
)
from conformance.session.clients import Clients, make_clients
from conformance.session.devices import CreatedDevice, Identity, created_device
from conformance.session.health import BASIC_READ, HealthWatch
from conformance.session.preflight import check_endpoint, identity_of
from conformance.session.resources import ResourceTracker
from conformance.session.settling import Consistency, not_visible_yet, settle
from conformance.session.targets import Endpoint, EndpointError, EndpointSettings, open_endpoint
from conformance.session.totp import totp_codes

__all__ = ["CLEANUP_ERRORS", "NameHolder", "SuiteSession", "open_suite"]

T = TypeVar("T")
TagPairs = tuple[tuple[str, str], ...]
# A failed delete during a test keeps the resource tracked for the final sweep; these are its failures.
CLEANUP_ERRORS = (ClientError, BotoCoreError, EndpointFailure, OperationMissing)


class NameHolder(Protocol):
    """Several processes on one endpoint (``--workers``): a device name is held by one of them at a time."""

    def hold(self, name: str) -> None: ...
    def release(self) -> None: ...


@dataclass
class SuiteSession:
    endpoint: Endpoint
    clients: Clients
    identity: Identity
    tracker: ResourceTracker = field(init=False)
    _tokens: int = 0
    # Tokens are numbered offset + 1, offset + 1 + stride, ...: with several worker processes sharing
    # one endpoint (``--workers``), each takes its own offset, so that no two can make the same name.
    token_offset: int = 0
    token_stride: int = 1
    # With several processes on one endpoint, each device name a test creates (a drawn one, the same in
    # every process with the same seed) is held from its create to the end of the observation (the
    # outermost `recording` block, or the test): no other process uses it meanwhile, as in a serial run.
    names: NameHolder | None = None
    # Did waiting for a fresh TOTP step ever turn a refused resync into an accepted one? (None: not
    # tried yet.) Once it did not, later resyncs do not wait: the wait cannot help that endpoint.
    resync_wait_helps: bool | None = None
    consistency: Consistency = field(default_factory=lambda: Consistency(0.0))
    health: HealthWatch = field(default_factory=HealthWatch)
    _offered: set[str] = field(default_factory=set)  # operations the endpoint has answered with success
    _logs: list[list[ApiCall]] = field(default_factory=list)  # open `recording` blocks

    def __post_init__(self) -> None:
        self.tracker = ResourceTracker(
            delete_device=self._delete_device,
            list_device_serials=self.device_serials,
            delete_user=self._delete_user,
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints every argument of a failing test: the session is one short word."""
        printer.text(f"<{self.endpoint.target} session>")

    # -- sending --------------------------------------------------------------------------------------

    def call(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> ApiCall:
        """The request as it would be sent (for a reproduction), without sending it."""
        return ApiCall("iam", operation, dict(params), self.endpoint.url, self.endpoint.region, validated)

    def send(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> Reply:
        """Send one IAM request; an error answer is a `Reply` with its `Rejection`, not an exception.

        ``validated=False`` goes through the unvalidated client: invalid inputs reach the endpoint.
        Every answer is shown to the health watch (`conformance.session.health`), which raises
        `EndpointBroke` inside a test when a basic read finds the endpoint broken. Every call is
        recorded in the open `recording` blocks.
        """
        call = self.call(operation, params, validated=validated)
        for log in self._logs:  # recorded once, whatever the health watch sends again
            log.append(call)
        reply = self._exchange(call)
        self.health.saw(reply, lambda: self._exchange(call))
        return reply

    def _exchange(self, call: ApiCall) -> Reply:
        client = self.clients.iam if call.validated else self.clients.iam_unvalidated
        offered = call.operation in self._offered
        try:
            body: dict[str, Any] = getattr(client, call.operation)(**call.params)
        except ClientError as error:
            return Reply(call, None, rejection_from(call, error, self.clients.status.kind, offered))
        except ResponseParserError:
            status, kind = self.clients.status.last, self.clients.status.kind
            message = "" if kind else NON_AWS_BODY  # an error's body has its kind; a success's has not
            return Reply(call, None, Rejection(call, status, "", message, "", kind, offered))
        except Exception as error:
            if self.endpoint.target != "moto" or isinstance(error, BotoCoreError):
                raise
            return Reply(call, None, _in_process_crash(call, error, offered))
        self._offered.add(call.operation)
        return Reply(call, body, None)

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[ApiCall]]:
        """Every call sent inside the block, in order: the sequence a reproduction replays
        (`conformance.session.reproduction`). Blocks may nest; each sees the calls sent while it is open.
        """
        log: list[ApiCall] = []
        self._logs.append(log)
        try:
            yield log
        finally:
            self._logs[:] = [other for other in self._logs if other is not log]
            if not self._logs:
                self.release_names()

    def release_names(self) -> None:
        """The observation is made: the device names it held are free for other processes."""
        if self.names is not None:
            self.names.release()

    # -- reading --------------------------------------------------------------------------------------

    def settle(self, read: Callable[[], T], expected: Callable[[T], bool]) -> T:
        """``read()``, polled on remote targets until it reflects a write (`settling.settle`)."""
        return settle(read, expected, self.consistency)

    def entries(
        self, operation: str, params: Mapping[str, Any], member: str, keep: Callable[[Mapping[str, Any]], T]
    ) -> list[T] | Rejection:
        """Every entry of a list operation, each reduced by ``keep`` (`paging.entries`)."""
        return paging.entries(self.send, operation, params, member, keep)

    def listing(self) -> paging.Listing:
        """ListVirtualMFADevices under each AssignmentStatus, every page; member names kept, no values."""
        return paging.listing(self.send)

    def check_health(self) -> None:
        """One basic read, for the health watch to know whether the endpoint still answers it: after a
        request the endpoint should have refused and did not (it may raise `EndpointBroke`)."""
        self.send(BASIC_READ, {"AssignmentStatus": "Any"})

    def device_serials(self) -> frozenset[str]:
        """Every device on the endpoint, assigned or not (every page)."""
        return frozenset(paging.listing(self.send, ("Any",))["Any"])

    def device_tags(self, serial: str, expected: Callable[[TagPairs], bool] = lambda tags: True) -> TagPairs:
        """Every (Key, Value) ListMFADeviceTags gives for ``serial``, all pages, polled (`settle`) until
        ``expected`` holds of them; a device created a moment ago that is not visible yet is polled too."""

        def read() -> list[tuple[str, str]] | Rejection:
            request = {"SerialNumber": serial}
            return self.entries("list_mfa_device_tags", request, "Tags", lambda t: (t["Key"], t["Value"]))

        def done(tags: list[tuple[str, str]] | Rejection) -> bool:
            return not not_visible_yet(tags) if isinstance(tags, Rejection) else expected(tuple(tags))

        tags = self.settle(read, done)
        if isinstance(tags, Rejection):
            tags.unexpected()
        return tuple(tags)

    # -- resources ------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def create_device(
        self, params: Mapping[str, Any], *, validated: bool = True
    ) -> Iterator[CreatedDevice | Rejection]:
        """Create a device, hand over what came back, and delete the device afterwards.

        ``validated=False`` sends the request through the unvalidated client: invalid inputs.
        """
        path, name = str(params.get("Path", "/")), str(params.get("VirtualMFADeviceName", ""))
        if self.names is not None:
            self.names.hold(f"{path}{name}")
        attempt = self.tracker.attempt_device(path, name)
        reply = self.send("create_virtual_mfa_device", params, validated=validated)
        if reply.rejection is not None:
            if reply.rejection.code == "EntityAlreadyExists":
                self.tracker.settle_attempt(attempt, None)  # the device there is not ours
            # Any other rejection stays an open attempt: a non-atomic endpoint may have stored it.
            yield reply.rejection
            return
        assert reply.body is not None
        device = created_device(reply.call, self.identity, reply.body["VirtualMFADevice"])
        del reply  # the raw response held the seed and QR unwrapped
        self.tracker.settle_attempt(attempt, device.serial_number)
        try:
            yield device
        finally:
            if device.serial_number:
                # A refused delete keeps the device tracked: the final sweep retries and reports it,
                # and the check's own verdict is not replaced by the delete's error.
                with contextlib.suppress(*CLEANUP_ERRORS):
                    self.tracker.release_device(device.serial_number)

    def unique_token(self) -> str:
        """A token no earlier request of this run used: ``u`` and a number, valid in names and paths."""
        self._tokens += 1
        return f"u{self.token_offset + 1 + (self._tokens - 1) * self.token_stride}"

    def new_user(self) -> str:
        """Create an IAM user of the run's own, tracked until it is deleted; return its name."""
        name = f"vmfa-conformance-{self.unique_token()}"
        self.send("create_user", {"UserName": name}).needed()
        self.tracker.track_user(name)
        return name

    @contextlib.contextmanager
    def user(self) -> Iterator[str]:
        """An IAM user of the run's own, deleted afterwards (its MFA devices deactivated first)."""
        name = self.new_user()
        try:
            yield name
        finally:
            with contextlib.suppress(*CLEANUP_ERRORS):  # kept for the final sweep
                self.tracker.release_user(name)

    def enable(self, user: str, device: CreatedDevice, *, correct: bool = True) -> Reply:
        """EnableMFADevice with two consecutive TOTP codes from the seed (or two wrong ones; a seed that is
        not base32 gives none: `conformance.session.totp.UNCOMPUTED` is sent)."""
        assert device.serial_number is not None
        codes = totp_codes(device.seed, time.time(), correct=correct)
        return self.send(
            "enable_mfa_device", {"UserName": user, "SerialNumber": device.serial_number, **codes}
        )

    def _delete_device(self, serial_number: str) -> None:
        """Delete a device; one that is gone already (NoSuchEntity) counts as deleted."""
        reply = self.send("delete_virtual_mfa_device", {"SerialNumber": serial_number}, validated=False)
        if reply.rejection is not None and reply.rejection.code != "NoSuchEntity":
            raise EndpointFailure(f"DeleteVirtualMFADevice failed: {reply.rejection.describe()}")

    def _delete_user(self, name: str) -> None:
        """Deactivate the user's MFA devices, then delete the user.

        Right after the user was created or given a device, ListMFADevices may not show that yet (IAM is
        eventually consistent). A user not visible yet (NoSuchEntity) is deleted at once; if DeleteUser
        then answers DeleteConflict, the list was behind: it is polled until it shows the devices."""

        def user_serials() -> frozenset[str] | Rejection:
            serials = self.entries(
                "list_mfa_devices", {"UserName": name}, "MFADevices", lambda entry: str(entry["SerialNumber"])
            )
            return serials if isinstance(serials, Rejection) else frozenset(serials)

        def more(serials: frozenset[str] | Rejection) -> bool:
            if isinstance(serials, Rejection):
                return not not_visible_yet(serials)
            return bool(serials - deactivated)

        deactivated: set[str] = set()
        serials = user_serials()
        for behind in (False, True):
            if behind:
                serials = self.settle(user_serials, more)
            if isinstance(serials, Rejection) and not not_visible_yet(serials):
                serials.unexpected()
            for serial in sorted(serials - deactivated) if isinstance(serials, frozenset) else ():
                self.send("deactivate_mfa_device", {"UserName": name, "SerialNumber": serial}).needed()
                deactivated.add(serial)
            reply = self.send("delete_user", {"UserName": name})
            conflict = reply.rejection is not None and reply.rejection.code == "DeleteConflict"
            if not (conflict and self.consistency.patience_s > 0):
                break
        reply.needed()


def _in_process_crash(call: ApiCall, error: Exception, offered: bool) -> Rejection:
    """moto in process raises, inside the call, what its server turns into an HTML 500: the same
    answer, so that both targets get the same verdicts. A missing action keeps moto's own words."""
    if isinstance(error, NotImplementedError):
        return Rejection(call, 501, "NotImplemented", str(error), "", "", offered)
    return Rejection(call, 500, "", "", "", "an HTML page", offered)


@contextlib.contextmanager
def open_suite(settings: EndpointSettings) -> Iterator[SuiteSession]:
    """Start or reach the endpoint, check it answers as IAM, and sweep what the run left at the end."""
    with open_endpoint(settings) as endpoint:
        clients = make_clients(endpoint)
        check_endpoint(endpoint, clients)
        session = SuiteSession(
            endpoint=endpoint,
            clients=clients,
            identity=identity_of(endpoint, clients),
            consistency=Consistency(settings.read_patience),
        )
        session.health.worked()  # check_endpoint listed the devices
        try:
            yield session
        finally:
            leftovers = session.tracker.sweep()
            if leftovers:
                raise EndpointError("could not delete devices the suite created: " + "; ".join(leftovers))
