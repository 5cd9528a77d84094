"""The scenarios: what is sent, what is observed, and the checks that judge it.

Each scenario is one module (or one package, where it is large): its observation type, a ``gather``
function that sends the requests and builds the observation from the answers, and its checks, each
registered with `conformance.judging.registry.check`. The pytest shells in `conformance.operations`
only draw the inputs and hand them to ``gather`` and to each check.

Check modules are discovered, not listed: `all_checks` imports every module of this package once.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from conformance.judging.registry import Check, registered, registered_for

__all__ = ["all_checks", "checks_for"]

_discovered = False


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for module in pkgutil.walk_packages(__path__, f"{__name__}."):
        importlib.import_module(module.name)
    _discovered = True


def all_checks() -> tuple[Check[Any], ...]:
    """Every check of every scenario."""
    _discover()
    return registered()


def checks_for(scenario: str) -> tuple[Check[Any], ...]:
    """The checks of one scenario, in the order their modules register them."""
    _discover()
    return registered_for(scenario)
