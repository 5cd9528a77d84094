"""Noticing that the endpoint broke, and after which call.

An emulator can be damaged by a request it should have refused: LocalStack 2026.3.0 accepts DeleteUser
for a user that still holds an MFA device, and from then on answers every listing of assigned devices
with a 500. Everything judged after that is judged on a broken endpoint, and would report the damage
as new findings. So every answer is watched here:

- a *basic read* is ListVirtualMFADevices without a Marker, sent through the validating client: it
  depends on no input and every endpoint answers it, so a 5xx to it (sent twice, to rule out a
  passing hiccup) after one that worked means the endpoint's state is broken;
- the calls that may change state (everything but List* and Get*) sent since the last basic read that
  worked are kept: the first one the endpoint *accepted* is the step after which it broke (a refused
  request should have changed nothing), named with what the run was doing then (the test's label, set
  by the runner).

Once broken, the watch says so for the rest of the run (`HealthWatch.broken`). While a test runs (the
runner arms the watch), a failed basic read also ends that test at once with `EndpointBroke`: a
`KeyboardInterrupt`, the one exception Hypothesis lets through without replaying or shrinking, since
nothing can be learned from replays against a broken endpoint. The runner turns it into an ordinary
exception before pytest could take it for Ctrl-C. What the break means for a verdict is decided by
the verdict layer, not here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from conformance.session.calls import Reply

__all__ = ["BASIC_READ", "Breakage", "BrokenEndpoint", "EndpointBroke", "HealthWatch"]

BASIC_READ = "list_virtual_mfa_devices"
_READ_PREFIXES = ("list_", "get_")


@dataclass(frozen=True)
class Breakage:
    """The endpoint answers basic reads with 5xx since ``step``, sent while the run did ``label``."""

    label: str | None  # the check (and case) whose test sent the step; None: between tests
    step: str  # the first call it accepted after the last basic read that worked, shown
    read: str  # the basic read that then failed, and its answer
    accepted: int = 1  # calls it accepted between that read and the failed one: the step is the first

    def since(self) -> str:
        others = self.accepted - 1
        more = (
            f" (or one of the {others} calls it accepted after it)"
            if others > 1
            else " (or the one call it accepted after it)"
            if others == 1
            else ""
        )
        return f"{self.label or 'between checks'}, step {self.step}{more}"

    def describe(self) -> str:
        return f"the endpoint has answered 5xx to basic reads since {self.since()}"


class EndpointBroke(KeyboardInterrupt):
    """Ends the running test at once: the endpoint broke (or is broken). Never reaches pytest."""

    def __init__(self, breakage: Breakage) -> None:
        super().__init__(breakage.describe())
        self.breakage = breakage


class BrokenEndpoint(Exception):
    """What a test ends with once `EndpointBroke` has stopped it (the runner raises it in its place)."""

    def __init__(self, breakage: Breakage) -> None:
        super().__init__(breakage.describe())
        self.breakage = breakage


@dataclass
class HealthWatch:
    label: str | None = None  # what the run is doing: the running test's check and case
    armed: bool = False  # a failed basic read ends the running test (only while a test runs)
    broken: Breakage | None = None
    _read_worked: bool = False  # a basic read has answered 2xx: the endpoint was healthy then
    _first_sent: tuple[str | None, str] | None = None  # since the last good read: (label, call)
    _first_accepted: tuple[str | None, str] | None = None
    _accepted: int = 0  # calls accepted since the last good read, until one answered 5xx
    _failed_since: bool = False  # a call has answered 5xx since the last good read: damage showed
    _interrupted: bool = False  # the armed test was ended once already (its cleanup may read again)
    # Answers may come from threads (a step's views read side by side): one answer noted at a time.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def worked(self) -> None:
        """A basic read made outside `saw` (the endpoint's check before the first test) worked."""
        self._read_worked = True

    def arm(self, label: str) -> None:
        self.label, self.armed, self._interrupted = label, True, False

    def disarm(self) -> None:
        self.label, self.armed = None, False

    def saw(self, reply: Reply, again: Callable[[], Reply]) -> None:
        """Note one answer; ``again`` sends the same request once more (to confirm a failed read)."""
        with self._lock:
            self._saw(reply, again)

    def _saw(self, reply: Reply, again: Callable[[], Reply]) -> None:
        call = reply.call
        if not call.operation.startswith(_READ_PREFIXES):
            self._note_write(reply)
            return
        basic = call.operation == BASIC_READ and call.validated and "Marker" not in call.params
        if not basic:
            return
        if reply.rejection is None or not reply.rejection.server_error:
            if self.broken is None:
                self._read_worked, self._first_sent, self._first_accepted = True, None, None
                self._accepted, self._failed_since = 0, False
            return
        if self.broken is None and self._read_worked:
            retried = again()
            if retried.rejection is None or not retried.rejection.server_error:
                return  # a hiccup, not a broken state
            self.broken = self._breakage(f"{call.shown()} -> {retried.rejection.describe()}")
        if self.broken is not None and self.armed and not self._interrupted:
            self._interrupted = True
            raise EndpointBroke(self.broken)

    def _note_write(self, reply: Reply) -> None:
        """A call that may change state: the first one sent and accepted since the good read are the
        candidates; calls after one that answered 5xx are not counted (the damage had shown by then)."""
        if self.broken is not None or self._failed_since:
            return
        accepted = reply.rejection is None
        if self._first_sent is None or (accepted and self._first_accepted is None):
            sent = (
                self.label,
                reply.call.shown(),
            )  # shown only when it may be named: every call is sent here
            self._first_sent = self._first_sent or sent
            self._first_accepted = self._first_accepted or (sent if accepted else None)
        self._accepted += accepted
        self._failed_since = reply.rejection is not None and reply.rejection.server_error

    def _breakage(self, read: str) -> Breakage:
        label, step = self._first_accepted or self._first_sent or (self.label, "(no call since it worked)")
        return Breakage(label, step, read, max(self._accepted, 1))
