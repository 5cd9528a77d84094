"""What the virtual MFA lifecycle should do: a model of devices, users, assignments and tags.

The lifecycle state machine (``operations/lifecycle/test_lifecycle_state_machine.py``) sends random
sequences of calls; this model says, for each call and from the state so far, what the endpoint must
answer (success, or which error code) and, when it succeeds, what the state becomes. It is pure: no
request is sent here, so it can be read as the specification it encodes.

The facts, and where they come from (SPEC-NOTES):

- a device must be deactivated before it is deleted: ``DeleteConflict`` (documented, model);
- enabling a device that is in use is ``EntityAlreadyExists`` (model, observed);
- an unknown serial or user name is ``NoSuchEntity`` (model errors of each operation, observed);
- a user holding an MFA device cannot be deleted: ``DeleteConflict`` ("you must delete the items
  attached to the user manually, or the deletion fails", DeleteUser API reference; model);
- TagMFADevice adds or overwrites, past the model's maximum number of tags it is ``LimitExceeded`` and
  "the entire request fails" (documented, model); UntagMFADevice removes the keys given.

Where the documents are silent the state machine does not go, so the model has no opinion there: it
never deactivates a device for a user that does not hold it, never removes a key a device lacks, and
never sends a tag key that differs from a held one only in letter case. Where it cannot help going,
both answers are accepted: a device enabled again after its deactivation is sent the codes of the
current 30-second step, most likely the very ones it accepted before, and whether an endpoint may
refuse them as used (InvalidAuthenticationCode) the documents do not say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Expected", "LifecycleModel", "ModelDevice", "Prediction"]

_NO_SUCH_ENTITY = "NoSuchEntity"


@dataclass(frozen=True)
class Expected:
    """The answers the model accepts: success, and/or one of ``codes``. More than one code only where
    two preconditions fail at once and the documents do not say which is checked first; success or a
    code only where the documents do not say which (`LifecycleModel.enable`)."""

    codes: frozenset[str]
    reason: str  # why, for the report: "the device is assigned to u3"
    succeeds: bool = False  # HTTP 200 is an accepted answer

    @classmethod
    def success(cls, reason: str = "") -> Expected:
        return cls(frozenset(), reason, succeeds=True)

    @classmethod
    def error(cls, *pairs: tuple[str, str]) -> Expected:
        """One ``(code, reason)`` per failed precondition."""
        return cls(frozenset(code for code, _ in pairs), "; ".join(reason for _, reason in pairs))

    @classmethod
    def success_or(cls, code: str, reason: str) -> Expected:
        return cls(frozenset({code}), reason, succeeds=True)


@dataclass(frozen=True)
class Prediction:
    """What a call should answer, and the change to commit if the endpoint answered just that."""

    expected: Expected
    commit: Callable[[], None] = lambda: None


@dataclass
class ModelDevice:
    serial: str
    path: str
    name: str
    user: str | None = None
    tags: dict[str, str] = field(default_factory=dict)  # exact key -> value
    enabled_before: bool = False  # some EnableMFADevice of it succeeded in this sequence


@dataclass
class LifecycleModel:
    """The devices and users one sequence created, as the endpoint should hold them now."""

    tag_limit: int  # the model's maximum number of tags (strategies.model), never a literal
    # In creation order, never sorted: names end in a run-wide counter, so their sorted order changes
    # from one replay of a sequence to the next, and Hypothesis could not replay its choices.
    devices: dict[str, ModelDevice] = field(default_factory=dict)  # live devices by serial
    users: list[str] = field(default_factory=list)  # live users
    known_serials: set[str] = field(default_factory=set)  # every serial this sequence created
    known_users: list[str] = field(default_factory=list)  # every user this sequence created

    # -- what the endpoint should list ---------------------------------------------------------

    def assigned(self) -> dict[str, str]:
        """Serial -> user of every assigned device."""
        return {serial: device.user for serial, device in self.devices.items() if device.user}

    def devices_of(self, user: str) -> frozenset[str]:
        return frozenset(serial for serial, device in self.devices.items() if device.user == user)

    def tagged(self) -> list[str]:
        """Serials of the live devices holding at least one tag."""
        return [serial for serial, device in self.devices.items() if device.tags]

    # -- the operations --------------------------------------------------------------------------

    def created(self, serial: str, path: str, name: str, tags: Mapping[str, str]) -> None:
        """A CreateVirtualMFADevice of a fresh path and name succeeded (it always should)."""
        self.devices[serial] = ModelDevice(serial, path, name, tags=dict(tags))
        self.known_serials.add(serial)

    def user_created(self, name: str) -> None:
        self.users.append(name)
        self.known_users.append(name)

    def enable(self, user: str, serial: str) -> Prediction:
        device = self.devices.get(serial)
        problems = [*self._user_missing(user), *self._device_missing(serial)]
        if device is not None and device.user is not None:
            problems.append(("EntityAlreadyExists", f"the device is in use by {device.user}"))
        if problems:
            return Prediction(Expected.error(*problems))

        def commit() -> None:
            self.devices[serial].user = user
            self.devices[serial].enabled_before = True

        if self.devices[serial].enabled_before:
            # Enabled again after a deactivation, most likely within the same 30-second TOTP step, so
            # with the very codes it accepted then: whether codes may be reused the documents do not say.
            reused = "the codes may be the ones this device accepted already"
            return Prediction(Expected.success_or("InvalidAuthenticationCode", reused), commit)
        return Prediction(Expected.success(), commit)

    def deactivate(self, user: str, serial: str) -> Prediction:
        """Only sent for a device assigned to ``user``: the documents say nothing of the other cases."""
        device = self.devices[serial]
        assert device.user == user, "the state machine deactivates only assigned devices"

        def commit() -> None:
            device.user = None

        return Prediction(Expected.success(), commit)

    def delete(self, serial: str) -> Prediction:
        device = self.devices.get(serial)
        if device is None:
            return Prediction(Expected.error(*self._device_missing(serial)))
        if device.user is not None:
            return Prediction(Expected.error(("DeleteConflict", f"the device is assigned to {device.user}")))

        def commit() -> None:
            del self.devices[serial]

        return Prediction(Expected.success(), commit)

    def delete_user(self, user: str) -> Prediction:
        if user not in self.users:
            return Prediction(Expected.error(*self._user_missing(user)))
        held = self.devices_of(user)
        if held:
            return Prediction(Expected.error(("DeleteConflict", f"{user} holds {len(held)} MFA device(s)")))

        def commit() -> None:
            self.users.remove(user)

        return Prediction(Expected.success(), commit)

    def tag(self, serial: str, tags: Sequence[tuple[str, str]]) -> Prediction:
        device = self.devices.get(serial)
        if device is None:
            return Prediction(Expected.error(*self._device_missing(serial)))
        merged = {**device.tags, **dict(tags)}
        if len(merged) > self.tag_limit:
            reason = f"{len(device.tags)} held + {len(merged) - len(device.tags)} new > {self.tag_limit}"
            return Prediction(Expected.error(("LimitExceeded", reason)))

        def commit() -> None:
            device.tags = merged

        return Prediction(Expected.success(), commit)

    def untag(self, serial: str, keys: Iterable[str]) -> Prediction:
        """Only sent for keys the device holds, exactly as held."""
        device = self.devices[serial]
        removed = set(keys)
        assert removed <= set(device.tags), "the state machine removes only held keys"

        def commit() -> None:
            device.tags = {key: value for key, value in device.tags.items() if key not in removed}

        return Prediction(Expected.success(), commit)

    # -- preconditions -----------------------------------------------------------------------------

    def _user_missing(self, user: str) -> list[tuple[str, str]]:
        return [] if user in self.users else [(_NO_SUCH_ENTITY, f"user {user} was deleted")]

    def _device_missing(self, serial: str) -> list[tuple[str, str]]:
        return [] if serial in self.devices else [(_NO_SUCH_ENTITY, "the device was deleted")]
