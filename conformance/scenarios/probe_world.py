"""A user and an unassigned device for probes that must change nothing: kept for many probes with the
``aws`` profile, made for each one otherwise.

Why: a probe of the unknown-entity and malformed-code scenarios needs a user and a device that exist
(and, for some, a serial with nothing behind it), and sends one request that a conformant endpoint
refuses: four to seven calls of set-up and clean-up around one. On the aws profile (each call one in
the user's account, `conformance.runner.profiles.shares_probes`) the probes of a scenario share one.
The invalid-tag probes of TagMFADevice share a world of a device alone (they name no user).

Sound because a world is kept only while nothing can have changed it: after a probe that was not
refused with a client error (accepted, a 5xx, a lost answer, an exception) the world is released at once
and the next probe gets a fresh one, so a wrongly accepted probe (a device enabled, a user created) is
judged on its own and never changes what a later probe sees. A refused request changes nothing by the
model's own account (an endpoint that changes state *and* refuses is what other checks judge).

Every observation's reproduction still replays a whole story (`ProbeWorld.story`): the calls that made
the world (sent once, repeated in each), the probe, and the clean-up (sent when the world is released,
noted while it is kept).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.economy import shares_probes
from conformance.session.suite import SuiteSession

__all__ = ["ProbeWorld", "probe_world"]


@dataclass
class ProbeWorld:
    """A user and an unassigned device of the run's (and a serial whose device was deleted, if asked)."""

    key: str
    user: str  # "" for a world made without one (`probe_world(..., user=False)`)
    device: CreatedDevice
    absent_serial: str | None
    made: tuple[ApiCall, ...]  # the calls that made it
    stack: contextlib.ExitStack  # releases it
    released: tuple[ApiCall, ...] | None = None  # the calls that released it, once sent

    @property
    def serial(self) -> str:
        assert self.device.serial_number is not None
        return self.device.serial_number

    def after(self, suite: SuiteSession, answer: Rejection | None) -> None:
        """What a probe's answer leaves: the world is kept only after a client error (nothing changed)."""
        if answer is None or answer.status >= 500:
            self.release(suite)

    def release(self, suite: SuiteSession) -> None:
        if self.released is not None:
            return
        if suite.held.get(self.key) is self:
            del suite.held[self.key]
        with suite.unrecorded() as calls:
            self.stack.close()
        self.released = tuple(calls)

    def story(self, suite: SuiteSession, probe: tuple[ApiCall, ...]) -> tuple[ApiCall, ...]:
        """The calls a reproduction of ``probe`` replays: made, probe, released (noted if still kept)."""
        released = self.released
        if released is None:
            released = (suite.call("delete_virtual_mfa_device", {"SerialNumber": self.serial}),)
            if self.user:
                released += (suite.call("delete_user", {"UserName": self.user}),)
        return (*self.made, *probe, *released)


def _made(suite: SuiteSession, key: str, names: tuple[str, ...], with_user: bool) -> ProbeWorld | None:
    """The world, made outside any recording (`ProbeWorld.story` puts its calls in each observation's);
    None when a valid create was refused (judged elsewhere)."""
    stack = contextlib.ExitStack()
    absent: CreatedDevice | Rejection | None = None
    with suite.unrecorded() as made:
        try:
            user = stack.enter_context(suite.user()) if with_user else ""
            params = {"VirtualMFADeviceName": f"{names[0]}-{suite.unique_token()}"}
            device = stack.enter_context(suite.create_device(params))
            if len(names) > 1:
                with suite.create_device(
                    {"VirtualMFADeviceName": f"{names[1]}-{suite.unique_token()}"}
                ) as gone:
                    absent = gone
        except BaseException:
            stack.close()
            raise
    absent_serial = absent.serial_number if isinstance(absent, CreatedDevice) else None
    if not (isinstance(device, CreatedDevice) and device.serial_number) or (
        len(names) > 1 and not absent_serial
    ):
        with suite.unrecorded():
            stack.close()
        return None
    return ProbeWorld(key, user, device, absent_serial, tuple(made), stack)


@contextlib.contextmanager
def probe_world(suite: SuiteSession, key: str, *names: str, user: bool = True) -> Iterator[ProbeWorld | None]:
    """A world for one probe: a user and a device named after ``names[0]`` (and, when a second name is
    given, a device of that name deleted at once: its serial names nothing). Shared under ``key`` on the
    aws profile while it stays unchanged (the probe's gather calls `ProbeWorld.after`); made and
    released around the probe otherwise, and released after a probe that raised. ``user=False``: a
    world of a device alone, for probes that name no user."""
    shared = shares_probes()
    world: ProbeWorld | None = suite.held.get(key) if shared else None
    if world is None:
        world = _made(suite, key, names, user)
        if world is not None and shared:
            suite.held[key] = world
            suite.held_stack.callback(world.release, suite)  # at the run's end, if still kept
    if world is None:
        yield None
        return
    try:
        yield world
    except BaseException:
        world.release(suite)
        raise
    if not shared:
        world.release(suite)
