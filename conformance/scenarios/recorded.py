"""Observations that carry the calls that made them, for a reproduction that replays them all.

A finding rarely shows in one call: the device must be created and enabled before the wrong answer, the
user created before it is named. `recorded` wraps a scenario's ``gather`` so that every call it sends,
its clean-up included (the script then leaves nothing behind), ends up in the observation's ``calls``;
the verdict layer renders them as a boto3 script (`conformance.session.reproduction`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from conformance.session.suite import SuiteSession

__all__ = ["recorded"]

T = TypeVar("T")


def recorded(gather: Callable[..., T]) -> Callable[..., T]:
    """``gather``, with the calls it sent put in its observation's ``calls`` field (when it has one).

    The wrapper keeps ``gather``'s name and module: the observation memo knows it by them.
    """

    @functools.wraps(gather)
    def gather_recorded(suite: SuiteSession, *inputs: Any) -> T:
        with suite.recording() as calls:
            observation: Any = gather(suite, *inputs)
        if _has_calls(observation):
            observation = dataclasses.replace(observation, calls=tuple(calls))
        result: T = observation
        return result

    return gather_recorded


def _has_calls(observation: Any) -> bool:
    is_instance = dataclasses.is_dataclass(observation) and not isinstance(observation, type)
    return is_instance and any(field.name == "calls" for field in dataclasses.fields(observation))
