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
import dataclasses
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from conformance.session import faults, paging
from conformance.session.aws_guard import masked_account
from conformance.session.calls import (
    NON_AWS_BODY,
    ApiCall,
    EndpointFailure,
    NotSent,
    OperationMissing,
    Rejection,
    Reply,
    rejection_from,
)
from conformance.session.clients import AWS_ERROR_DOCUMENT, Clients, make_clients
from conformance.session.devices import CreatedDevice, Identity, created_device
from conformance.session.faults import UNREADABLE_ERROR_DOCUMENT, FaultInterrupt, NetworkFault
from conformance.session.health import BASIC_READ, HealthWatch
from conformance.session.ownership import RunOwnership
from conformance.session.preflight import check_endpoint, guard_account, identity_of
from conformance.session.resources import Leftover, ResourceTracker
from conformance.session.secrets import mask
from conformance.session.settling import Consistency, not_visible_yet, settle
from conformance.session.side_by_side import side_by_side
from conformance.session.targets import Endpoint, EndpointSettings, open_endpoint
from conformance.session.totp import totp_codes

__all__ = ["CLEANUP_ERRORS", "WALK_PAGES", "NameHolder", "SuiteSession", "open_suite"]

T = TypeVar("T")
TagPairs = tuple[tuple[str, str], ...]
# The most pages a walk whose subject is paging takes (`SuiteSession.small_page`).
WALK_PAGES = 8
# A failed delete during a test keeps the resource tracked for the final sweep; these are its failures.
CLEANUP_ERRORS = (ClientError, BotoCoreError, EndpointFailure, OperationMissing, NetworkFault)


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
    # The run id, and the prefix and tag every device and user of the run gets (`session.ownership`).
    ownership: RunOwnership = field(default_factory=RunOwnership)
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
    # the open `recording` blocks, the thread's own (observations may be gathered on threads taking
    # turns, `conformance.session.turns`: each records only its own calls)
    _local: threading.local = field(default_factory=threading.local, repr=False)
    leftovers: list[Leftover] = field(default_factory=list)  # what the final sweep could not delete
    # --max-calls: once this many calls were sent, a check's next call is not sent (`NotSent`, SKIP
    # "call budget spent"); deletes of what the run made are always sent (`cleaning`).
    max_calls: int | None = None
    _cleaning: int = 0  # open `cleaning` blocks
    _account_devices: int | None = None  # devices the last full listing held, the run's and others'
    _shared_user: str | None = None
    # Resources kept for many observations (`conformance.scenarios.probe_world`), released at the end.
    held: dict[str, Any] = field(default_factory=dict)
    held_stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def __post_init__(self) -> None:
        self.tracker = ResourceTracker(
            delete_device=self._delete_device,
            list_device_serials=self.device_serials,
            delete_user=self._delete_user,
        )

    def hurry(self) -> None:
        """Cut every wait short from now on (the run was told twice to stop): reads are not polled,
        throttling backoffs are short. Nothing that deletes is skipped. Safe in a signal handler."""
        self.consistency.patience_s = 0.0
        self.clients.hurry.set()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints every argument of a failing test: the session is one short word."""
        printer.text(f"<{self.endpoint.target} session>")

    # -- sending --------------------------------------------------------------------------------------

    @property
    def _logs(self) -> list[list[ApiCall]]:
        logs: list[list[ApiCall]] = self._local.__dict__.setdefault("logs", [])
        return logs

    @_logs.setter
    def _logs(self, logs: list[list[ApiCall]]) -> None:
        self._local.logs = logs

    def call(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> ApiCall:
        """The request as it would be sent (for a reproduction), without sending it."""
        url = None if self.endpoint.target == "aws" else self.endpoint.url  # a script for AWS: boto3's own
        return ApiCall("iam", operation, dict(params), url, self.endpoint.region, validated)

    def send(self, operation: str, params: Mapping[str, Any], *, validated: bool = True) -> Reply:
        """Send one IAM request; an error answer is a `Reply` with its `Rejection`, not an exception.

        ``validated=False`` goes through the unvalidated client: invalid inputs reach the endpoint.
        Every answer is shown to the health watch (`conformance.session.health`), which raises
        `EndpointBroke` inside a test when a basic read finds the endpoint broken. Every call is
        recorded in the open `recording` blocks.
        """
        call = self.call(operation, params, validated=validated)
        spent = self.max_calls is not None and self.clients.counter.calls >= self.max_calls
        if spent and not self._cleaning:
            raise NotSent(f"call budget spent (--max-calls {self.max_calls})")
        for log in self._logs:  # recorded once, whatever the health watch sends again
            log.append(call)
        reply = self._exchange(call)
        if operation in ("enable_mfa_device", "deactivate_mfa_device"):
            self.tracker.note_assignment(operation, params, reply.rejection)
        self.health.saw(reply, lambda: self._exchange(call))
        return reply

    def _exchange(self, call: ApiCall) -> Reply:
        """One call, sent again on a fault on the way as far as that is safe (`conformance.session.faults`).

        A create whose answer was lost made something: it is deleted at once, and the create sent once
        more, so that the check is judged on an answer the endpoint gave. A fault that leaves nothing to
        judge ends the running test at once (`FaultInterrupt`)."""
        for undone in (False, True):
            try:
                return faults.exchange(
                    call, self._exchange_once, self.clients.counter.fault_resent, cleaning=self._cleaning > 0
                )
            except NetworkFault as fault:
                if self._cleaning:
                    raise
                undo = self._undo_lost_write(call)
                if undo == _UNDONE and not undone:
                    self.clients.counter.fault_resent()
                    continue
                said = f"{fault}; {undo}"
                if self.health.armed:
                    raise FaultInterrupt(said) from None
                raise NetworkFault(said) from None
        raise AssertionError("unreachable")

    def _undo_lost_write(self, call: ApiCall) -> str:
        """Delete at once what a create whose answer was lost made (a later create of the same name would
        be refused for it); returns what happened, in words for the report."""
        try:
            with self.cleaning():
                if call.operation == "create_virtual_mfa_device":
                    tail = f":mfa{call.params.get('Path', '/')}{call.params.get('VirtualMFADeviceName')}"
                    tracked = set(self.tracker.tracked())
                    made = [s for s in self.device_serials() if s.endswith(tail) and s not in tracked]
                    for serial in made:
                        self.tracker.adopt_device(serial)
                        self.tracker.release_device(serial)
                    return _UNDONE if made else "no device it made was found"
                if call.operation == "create_user":
                    self.tracker.release_user(str(call.params.get("UserName")))
                    return _UNDONE
        except CLEANUP_ERRORS as error:
            return f"what it made is deleted at the end (deleting it now failed: {error})"
        return "the run's users and devices it touched are deleted at the end"

    @contextlib.contextmanager
    def cleaning(self) -> Iterator[None]:
        """Requests that only have to get something deleted: sent whatever the call budget says, a fault
        never ends the test, and "done already" (NoSuchEntity after a lost answer) is what they wanted."""
        self._cleaning += 1
        try:
            yield
        finally:
            self._cleaning -= 1

    def _exchange_once(self, call: ApiCall) -> Reply:
        client = self.clients.iam if call.validated else self.clients.iam_unvalidated
        offered = call.operation in self._offered
        try:
            body: dict[str, Any] = getattr(client, call.operation)(**call.params)
        except ClientError as error:
            return Reply(call, None, rejection_from(call, error, self.clients.status.kind, offered))
        except ResponseParserError:
            status, kind = self.clients.status.last, self.clients.status.kind
            message = "" if kind else NON_AWS_BODY  # an error's body has its kind; a success's has not
            if kind == AWS_ERROR_DOCUMENT:  # it looked like one, but could not be read: cut or garbled
                kind = UNREADABLE_ERROR_DOCUMENT
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

    def side_by_side(self, reads: Sequence[Callable[[], T]], *, together: bool = True) -> list[T]:
        """Reads of a state nothing changes meanwhile, or deletes that each touch only what the others
        do not (a sequence's clean-up), each in a thread of its own (`side_by_side`); one after another
        when the order of the requests matters (a `recording` block replays them in order, a call
        budget stops at one particular call), there is no wait to share (in process), or the caller
        says so (``together=False``: it takes turns with others already)."""
        together = together and self.max_calls is None and not self._logs and self.endpoint.target != "moto"
        return side_by_side(reads, together=together)

    def entries(
        self,
        operation: str,
        params: Mapping[str, Any],
        member: str,
        keep: Callable[[Mapping[str, Any]], T],
        *,
        validated: bool = True,
    ) -> list[T] | Rejection:
        """Every entry of a list operation, each reduced by ``keep`` (`paging.entries`); ``validated``
        as `send` has it."""
        return paging.entries(partial(self.send, validated=validated), operation, params, member, keep)

    def listing(self) -> paging.Listing:
        """ListVirtualMFADevices under each AssignmentStatus, every page at the model's largest size (an
        account may hold thousands of others' devices); member names kept, no values."""
        return paging.listing(self.send, page_size=paging.largest_page())

    def check_health(self) -> None:
        """One basic read, for the health watch to know whether the endpoint still answers it: after a
        request the endpoint should have refused and did not (it may raise `EndpointBroke`)."""
        self.send(BASIC_READ, {"AssignmentStatus": "Any"})

    def device_serials(self) -> frozenset[str]:
        """Every device of the run's own on the endpoint, assigned or not (every page, at the model's
        largest page size): the account may hold any number of others, which are none of the run's
        business (`RunOwnership.owns_serial`)."""
        listed = paging.listing(self.send, ("Any",), page_size=paging.largest_page())["Any"]
        self._account_devices = len(listed)
        return frozenset(serial for serial in listed if self.ownership.owns_serial(serial))

    def small_page(self, smallest: int) -> int:
        """A MaxItems for a walk whose subject is the paging itself: ``smallest``, unless the account
        holds so many devices (others', mostly) that a walk would take more than `WALK_PAGES` pages;
        then the size that keeps it there. So a shared account's size never decides a run's cost."""
        if self._account_devices is None:
            self.device_serials()
        return max(smallest, -(-(self._account_devices or 0) // WALK_PAGES))

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

        ``validated=False`` sends the request through the unvalidated client: invalid inputs. The request
        is sent under the run's prefix, its name carrying the run id (`RunOwnership.device_request`);
        one that may not be (a path outside the prefix, on AWS) is not sent: `NotSent`, a SKIP.
        """
        placed = self.ownership.device_request(params)
        if placed is None:
            raise NotSent(
                f"its path {params.get('Path')!r} cannot be nested under the run's prefix, and a device "
                "outside it is made on AWS only with --allow-root-path"
            )
        params = placed
        path, name = str(params.get("Path", "/")), str(params.get("VirtualMFADeviceName", ""))
        if self.names is not None:
            self.names.hold(f"{path}{name}")
        attempt = self.tracker.attempt_device(path, name)
        reply = self.send("create_virtual_mfa_device", params, validated=validated)
        if reply.rejection is not None:
            if reply.rejection.code == "EntityAlreadyExists":
                self.tracker.settle_attempt(attempt, None)  # the device there is not ours
            else:  # an open attempt still: a non-atomic endpoint may have stored it
                self.tracker.refused_attempt(attempt)
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

    def still_listed(self, exclude: set[str]) -> list[Leftover]:
        """The run's devices the endpoint still lists after the sweep deleted them (a delete answered
        with success that did not delete), polled within the patience; ``exclude``: already reported.
        A listing that fails confirms nothing and adds nothing: the sweep reported what it met."""
        known = self.tracker.known_devices()
        if not known:
            return []
        try:
            listed = self.settle(self.device_serials, lambda serials: not (serials & known))
        except Exception:  # a broken endpoint or transport: what the sweep met is reported already
            return []
        answer = "DeleteVirtualMFADevice answered success, but the device is still listed"
        return [Leftover("device", serial, answer) for serial in sorted(listed & known - exclude)]

    def unique_token(self) -> str:
        """A token no earlier request of this run used: ``u`` and a number, valid in names and paths."""
        self._tokens += 1
        return f"u{self.token_offset + 1 + (self._tokens - 1) * self.token_stride}"

    def new_user(self) -> str:
        """Create an IAM user of the run's own (under its prefix, its name carrying the run id), tracked
        until it is deleted; return its name."""
        request = self.ownership.user_request(self.unique_token())
        name = request["UserName"]
        # Tracked before it is sent: a create performed whose answer is lost (a 5xx, a reset) still
        # leaves a user for the sweep to delete; one that was not performed is "no such entity" there.
        self.tracker.track_user(name)
        reply = self.send("create_user", request)
        if reply.rejection is not None and reply.rejection.code == "EntityAlreadyExists":
            self.tracker.forget_user(name)  # not ours: never deleted
        reply.needed()
        return name

    def shared_user(self) -> str:
        """A user of the run's own that lives until the run ends (the final sweep deletes it), for the
        requests that must name a user that exists and cannot change it: each is refused, or names a
        device that does not exist. One user for them all, not one per request: on AWS, each user is
        three calls more. Created outside any `recording`: a reproduction gets it from `noted_user`."""
        if self._shared_user is None:
            logs, self._logs = self._logs, []
            try:
                self._shared_user = self.new_user()
            finally:
                self._logs = logs
        return self._shared_user

    @contextlib.contextmanager
    def unrecorded(self) -> Iterator[list[ApiCall]]:
        """Calls sent outside every open `recording` (resources kept for many observations, which a
        reproduction gets as noted calls instead), listed in the block's own log."""
        log: list[ApiCall] = []
        logs, self._logs = self._logs, [log]
        try:
            yield log
        finally:
            self._logs = logs

    def noted_user(self, name: str) -> tuple[ApiCall, ApiCall]:
        """The CreateUser and DeleteUser of ``name`` as a reproduction replays them (not sent)."""
        created = self.call("create_user", {"UserName": name, "Path": self.ownership.prefix})
        return created, self.call("delete_user", {"UserName": name})

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
        with self.cleaning():
            reply = self.send("delete_virtual_mfa_device", {"SerialNumber": serial_number}, validated=False)
        if reply.rejection is not None and reply.rejection.code != "NoSuchEntity":
            raise EndpointFailure(f"DeleteVirtualMFADevice failed: {reply.rejection.describe()}")

    def _delete_user(self, name: str) -> None:
        with self.cleaning():
            self._delete_user_now(name)

    def _delete_user_now(self, name: str) -> None:
        """Deactivate the user's MFA devices, then delete the user.

        Right after the user was created or given a device, ListMFADevices may not show that yet (IAM is
        eventually consistent). A user not visible yet (NoSuchEntity) is deleted at once; if DeleteUser
        then answers DeleteConflict, the list was behind: it is polled until it shows the devices.

        The devices the run may have given the user are deactivated too, listed or not
        (`ResourceTracker.may_hold`; NoSuchEntity: it was not assigned). Each serial goes as the
        endpoint listed it, through the unvalidated client: an endpoint that accepted an invalid serial
        in EnableMFADevice lists it (LocalStack 2026.3.0), and only that serial releases the user."""

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
            listed = serials if isinstance(serials, frozenset) else frozenset()
            # The listed ones, and those the run may have given the user that the list does not show
            # (yet): an endpoint that wrongly deletes a user holding a device may break on it.
            for serial in sorted((listed | self.tracker.may_hold(name)) - deactivated):
                request = {"UserName": name, "SerialNumber": serial}  # any serial the endpoint gave
                answer = self.send("deactivate_mfa_device", request, validated=False)
                if answer.rejection is not None and answer.rejection.code != "NoSuchEntity":
                    answer.rejection.unexpected()  # NoSuchEntity: not assigned (any more): done
                deactivated.add(serial)
            reply = self.send("delete_user", {"UserName": name})
            conflict = reply.rejection is not None and reply.rejection.code == "DeleteConflict"
            if not (conflict and self.consistency.patience_s > 0):
                break
        if reply.rejection is not None and reply.rejection.code == "NoSuchEntity":
            return  # gone already: an earlier delete whose answer was lost, or a create never performed
        reply.needed()


def root_path_allowed(settings: EndpointSettings) -> bool:
    """May the run send a path outside its prefix (an invalid path, as drawn)? Not on AWS, unless
    the run was started with ``--allow-root-path``."""
    return settings.target != "aws" or bool(getattr(settings, "allow_root_path", False))


_UNDONE = "what it made was deleted"


def _in_process_crash(call: ApiCall, error: Exception, offered: bool) -> Rejection:
    """moto in process raises, inside the call, what its server turns into an HTML 500: the same
    answer, so that both targets get the same verdicts. A missing action keeps moto's own words."""
    if isinstance(error, NotImplementedError):
        return Rejection(call, 501, "NotImplemented", str(error), "", "", offered)
    return Rejection(call, 500, "", "", "", "an HTML page", offered)


@contextlib.contextmanager
def open_suite(settings: EndpointSettings) -> Iterator[SuiteSession]:
    """Start or reach the endpoint, check it answers as IAM, and sweep what the run left at the end:
    what the sweep could not delete is ``session.leftovers``, for the report."""
    # A worker of ``--workers`` is given what its controller found a moment before, on the same endpoint
    # (`conformance.runner.workers`): three requests fewer in each worker before its first test.
    checked = settings.checked_identity if isinstance(settings.checked_identity, Identity) else None
    with open_endpoint(settings) as endpoint:
        clients = make_clients(endpoint)
        guard_account(endpoint, clients, settings)  # on AWS: the wrong account is refused before a write
        if checked is None:
            check_endpoint(endpoint, clients)
        if endpoint.url is None and endpoint.target == "aws":  # the URL botocore resolved (AWS_ENDPOINT_URL*)
            endpoint = dataclasses.replace(endpoint, url=str(clients.iam.meta.endpoint_url))
        session = SuiteSession(
            endpoint=endpoint,
            clients=clients,
            identity=identity_of(endpoint, clients) if checked is None else checked,
            consistency=Consistency(settings.read_patience),
            ownership=RunOwnership(root_path_allowed=root_path_allowed(settings)),
            max_calls=getattr(settings, "max_calls", None),
        )
        session.health.worked()  # check_endpoint listed the devices (the controller's, in a worker)
        account = session.identity.account_id
        if endpoint.target == "aws" and account and not getattr(settings, "show_account", False):
            mask(account, masked_account(account))  # every text scrubbed: reports, the terminal
        try:
            yield session
        finally:
            with session.cleaning():
                with contextlib.suppress(*CLEANUP_ERRORS):  # what is not released, the sweep deletes
                    session.held_stack.close()
                left = session.tracker.sweep()
                session.leftovers = left + session.still_listed(exclude={leftover.id for leftover in left})
