"""In-memory account state: users, virtual MFA devices, their tags, and opaque paging markers.

One lock serialises every request, so each operation is atomic: a rejected call can never leave half of
its effect behind, which is exactly what the "failed create leaves nothing" rule needs.

Markers are random tokens that name a position in one listing (keyset paging: "after this sort key").
They are opaque on purpose: a client that forges or reuses one for another listing gets
``ValidationError: Invalid Marker.``, as real AWS answers.
"""

from __future__ import annotations

import dataclasses
import secrets
import string
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar

from .protocol import ApiError

__all__ = ["Device", "Page", "Store", "User", "now"]

T = TypeVar("T")


def now() -> datetime:
    """Whole seconds, as IAM reports its dates."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class User:
    name: str
    path: str
    user_id: str
    arn: str
    created: datetime


@dataclass(repr=False)
class Device:
    """A virtual MFA device; ``secret`` is the seed used to verify codes (repr hides everything)."""

    serial: str
    name: str
    path: str
    secret: str
    seed_text: str
    tags: dict[str, tuple[str, str]] = field(default_factory=dict)  # lower(key) -> (key, value)
    user: str | None = None
    enabled: datetime | None = None
    last_counter: int | None = None  # TOTP window of the last accepted code pair
    # What ListVirtualMFADevices showed before the last (de)assignment, and when that happened: an
    # eventually consistent endpoint (a mutant) keeps showing it for a while.
    listed_user: str | None = None
    assignment_changed: float = 0.0

    def __repr__(self) -> str:
        return f"Device(serial={self.serial!r}, user={self.user!r})"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    marker: str | None


def _user_id() -> str:
    # IAM user ids are "AIDA" + 17 upper-case alphanumerics (unique-ids reference).
    alphabet = string.ascii_uppercase + string.digits
    return "AIDA" + "".join(secrets.choice(alphabet) for _ in range(17))


class Store:
    """The state of one account; hold ``lock`` around every operation."""

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.devices: dict[str, Device] = {}
        # Deleted devices a user's ListMFADevices still lists (a mutant): until deactivated for the user.
        self.dangling: dict[str, Device] = {}
        self._markers: dict[str, tuple[Hashable, str]] = {}
        # A mutant's damage: a device left naming a deleted user, which every listing of assigned
        # devices and every delete then trips over (`broken_store` answers those requests).
        self.broken = False
        # Whose credentials GetCallerIdentity says the requests carry: None, the account's root user
        # (an emulator's usual answer); an IAM user's or role's ARN to stand in for a CI identity.
        self.caller_arn: str | None = None

    def fail_if_broken(self) -> None:
        """What a damaged store answers: 500 ServiceFailure, for every request that reads the damage."""
        if self.broken:
            raise ApiError("ServiceFailure", "An internal error occurred: KeyError")

    def snapshot(self) -> Store:
        """The users and devices as they are now, for reads that lag behind (see ``noise.History``).

        Writes replace or change users, devices and tag tables in place, so those are copied; the lock
        and the markers are shared: a Marker issued by a lagging read still names its place afterwards.
        """
        copy = Store(self.account_id)
        copy.lock, copy._markers, copy.caller_arn = self.lock, self._markers, self.caller_arn
        copy.users = {name: dataclasses.replace(user) for name, user in self.users.items()}
        copy.devices = {
            serial: dataclasses.replace(device, tags=dict(device.tags))
            for serial, device in self.devices.items()
        }
        copy.dangling = {serial: dataclasses.replace(device) for serial, device in self.dangling.items()}
        return copy

    def add_user(self, name: str, path: str) -> User:
        user = User(name, path, _user_id(), f"arn:aws:iam::{self.account_id}:user{path}{name}", now())
        self.users[name] = user
        return user

    def user(self, name: str) -> User:
        found = self.users.get(name)
        if found is None:
            raise ApiError("NoSuchEntity", f"The user with name {name} cannot be found.")
        return found

    def device(self, serial: str) -> Device:
        found = self.devices.get(serial)
        if found is None:
            raise ApiError("NoSuchEntity", f"MFA Device with serial number {serial} does not exist.")
        return found

    def page(
        self,
        scope: Hashable,
        items: Sequence[T],
        key: Callable[[T], str],
        marker: str | None,
        max_items: int | None,
    ) -> Page[T]:
        """One page of ``items`` (sorted by ``key``) after ``marker``; ``scope`` ties markers to a listing."""
        ordered = sorted(items, key=key)
        if marker is not None:
            position = self._markers.get(marker)
            if position is None or position[0] != scope:
                raise ApiError("ValidationError", "Invalid Marker.")
            ordered = [item for item in ordered if key(item) > position[1]]
        limit = 100 if max_items is None else max_items  # IAM's documented default for MaxItems
        if len(ordered) <= limit:
            return Page(list(ordered), None)
        shown = list(ordered[:limit])
        return Page(shown, self.marker_after(scope, key(shown[-1])))

    def knows_marker(self, scope: Hashable, marker: str) -> bool:
        position = self._markers.get(marker)
        return position is not None and position[0] == scope

    def marker_after(self, scope: Hashable, last_key: str) -> str:
        token = secrets.token_urlsafe(24)
        self._markers[token] = (scope, last_key)
        return token
