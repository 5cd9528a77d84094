"""Whether this run spends calls sparingly where that loses no rule: the ``aws`` profile's economy.

Kept here, below the scenarios, because they read it (`conformance.scenarios.probe_world`); the runner
sets it when it registers the run's profile (`conformance.runner.profiles.register_suite_profile`).
Decided by the profile, not the target: the proof table runs the ``aws`` profile against the reference
endpoint and its mutants, so what the aws target does is what is proven there.
"""

from __future__ import annotations

__all__ = ["set_profile", "shares_probes"]

_profile: list[str] = []  # the profile this process registered last


def set_profile(profile: str) -> None:
    _profile[:] = [profile]


def shares_probes() -> bool:
    """On the aws profile (each call one in the user's account): probes that change nothing share their
    user and device, and a constraint several operations share has each of its edge characters sent to
    one of them (see the callers)."""
    return _profile == ["aws"]
