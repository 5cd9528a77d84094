"""A simulated AWS account for ``--target aws`` runs: the reference endpoint standing in for IAM and STS.

Why: the ``aws`` target is the one a team points at a shared account, and there is no AWS here. botocore
honours ``AWS_ENDPOINT_URL_IAM`` and ``AWS_ENDPOINT_URL_STS``, so a run started with ``--target aws
--allow-aws`` and those two variables set sends every request to the reference endpoint on loopback,
signed with dummy credentials, exactly as it would to AWS otherwise. The account is pre-filled with
*foreign* resources (devices at various paths, some assigned to users of their own, some tagged) that the
run must leave byte-identical, and GetCallerIdentity answers as an IAM user (not the root user, which the
run refuses). The suite's process runs behind the emulators' network guard (a ``sitecustomize`` that
refuses and logs any connection or name look-up off loopback).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.reference import ReferenceEndpoint
from tests.reference.noise import Noise
from tests.reference.store import Device, Store, now
from tests.suite_runner import CLI

__all__ = ["ACCOUNT", "SimulatedAws", "fill_foreign", "foreign_state", "suite_command"]

ACCOUNT = "210987654321"
GUARD_DIR = Path(__file__).resolve().parent.parent / "conformance" / "emulators" / "guard"
_FOREIGN_PATHS = ("/", "/team/", "/ops/break-glass/", "/iam-conformance-lookalike/")


def fill_foreign(store: Store, devices: int) -> None:
    """``devices`` devices that are not the suite's: every 5th assigned to a user of its own, every 3rd
    tagged, spread over paths of their own (one looks like the suite's folder and is not)."""
    with store.lock:
        for index in range(devices):
            path = _FOREIGN_PATHS[index % len(_FOREIGN_PATHS)]
            name = f"person-{index:04d}"
            serial = f"arn:aws:iam::{store.account_id}:mfa{path}{name}"
            tags = {f"owner{index % 3}": (f"Owner{index % 3}", f"team-{index}")} if index % 3 == 0 else {}
            device = Device(serial, name, path, "JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP", tags)
            if index % 5 == 0:
                user = store.add_user(f"person-{index:04d}", path)
                device.user, device.enabled, device.listed_user = user.name, now(), user.name
            store.devices[serial] = device


def foreign_state(store: Store, owned_prefix: str = "/iam-conformance/") -> bytes:
    """Every resource outside the suite's folder, as bytes: equal bytes, byte-identical resources."""
    with store.lock:
        devices = sorted(
            (d.serial, d.name, d.path, d.secret, sorted(d.tags.items()), d.user, d.enabled, d.last_counter)
            for d in store.devices.values()
            if not d.path.startswith(owned_prefix)
        )
        users = sorted(
            (u.name, u.path, u.user_id, u.arn, u.created)
            for u in store.users.values()
            if not u.path.startswith(owned_prefix)
        )
    return pickle.dumps((devices, users))


def owned(store: Store, prefix: str = "/iam-conformance/") -> list[str]:
    """What is left under the suite's folder (or named like its users): leftovers, as readable lines."""
    with store.lock:
        found = [f"device {d.serial}" for d in store.devices.values() if d.path.startswith(prefix)]
        found += [f"user {u.name}" for u in store.users.values() if u.path.startswith(prefix)]
        found += [f"device {d.serial}" for d in store.devices.values() if "vmfa-conformance" in d.name]
    return sorted(found)


def suite_command(*args: str) -> list[str]:
    """The ``iam-conformance`` command with ``args`` (``run …``, ``sweep …``)."""
    return [*CLI, *args]


@dataclass
class SimulatedAws:
    """The reference endpoint as an AWS account: ``env()`` is the environment of a suite run against it."""

    endpoint: ReferenceEndpoint
    guard_log: Path

    @classmethod
    def started(
        cls, folder: Path, *, foreign: int, noise: Noise | None = None, caller: str = "ci"
    ) -> SimulatedAws:
        endpoint = ReferenceEndpoint(account_id=ACCOUNT, noise=noise).start()
        store = endpoint.app.context.store
        store.caller_arn = f"arn:aws:iam::{ACCOUNT}:user/{caller}" if caller else None
        fill_foreign(store, foreign)
        endpoint.app.settle()  # the account was filled long ago: reads see it at once
        return cls(endpoint, folder / "guard.log")

    @property
    def store(self) -> Store:
        return self.endpoint.app.context.store

    def env(self, accounts: Sequence[str] = (ACCOUNT,)) -> dict[str, str]:
        """No AWS_* of the caller's; dummy credentials; IAM and STS sent to the endpoint; the guard."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "IAM_CONF"))}
        env.update(
            AWS_ACCESS_KEY_ID="AKIDSIMULATED",
            AWS_SECRET_ACCESS_KEY="simulated",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
            AWS_ENDPOINT_URL_IAM=self.endpoint.url,
            AWS_ENDPOINT_URL_STS=self.endpoint.url,
            PYTHONPATH=os.pathsep.join([str(GUARD_DIR), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            IAM_EMULATOR_GUARD_LOG=str(self.guard_log),
        )
        if accounts:
            env["IAM_CONFORMANCE_AWS_ACCOUNT"] = ",".join(accounts)
        return env

    def run(self, *args: str, timeout: float = 900, accounts: Sequence[str] = (ACCOUNT,)) -> Completed:
        started = time.monotonic()
        done = subprocess.run(
            suite_command(*args), capture_output=True, text=True, env=self.env(accounts), timeout=timeout
        )
        return Completed(done.returncode, done.stdout, done.stderr, time.monotonic() - started)

    def killed_after(self, *args: str, created: int, timeout: float = 300) -> Completed:
        """Start a run, SIGKILL it once ``created`` devices of the suite's exist, and return."""
        started = time.monotonic()
        process = subprocess.Popen(
            suite_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env()
        )
        try:
            while time.monotonic() - started < timeout and process.poll() is None:
                if len(owned(self.store)) >= created:
                    break
                time.sleep(0.05)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            out, err = process.communicate(timeout=60)
        return Completed(process.returncode, out, err, time.monotonic() - started)

    def refused_connections(self) -> list[str]:
        return self.guard_log.read_text().splitlines() if self.guard_log.exists() else []

    def stop(self) -> None:
        self.endpoint.stop()

    def __enter__(self) -> SimulatedAws:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
