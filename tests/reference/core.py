"""What every operation handler shares: the request context, the registry, and list paging.

Handlers are plain functions registered by action name. They receive parameters already parsed from
the form and checked against the model (unless they ask to check them themselves, as
CreateVirtualMFADevice does to show what a non-atomic create leaves behind), and return the result
members as a dict that ``protocol.render_result`` turns into XML along the model's output shape.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .artifacts import Issued
from .mutants import Rules
from .protocol import ServerPage
from .store import Store

__all__ = ["HANDLERS", "Context", "Handler", "Params", "Result", "handler", "paged"]

Params = dict[str, Any]
Result = dict[str, Any] | None
Run = Callable[["Context", Params], Result]
T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    store: Store
    rules: Rules
    # Every seed and QR image handed out, in memory only: a canary for self-tests that search the
    # suite's reports and output for secrets, and a count of the devices ever created.
    issued: list[Issued] = field(default_factory=list)

    @property
    def account_id(self) -> str:
        return self.store.account_id


@dataclass(frozen=True)
class Handler:
    run: Run
    validates_itself: bool
    read: bool  # changes nothing: an eventually consistent endpoint answers it from a past state


HANDLERS: dict[str, Handler] = {}


def handler(action: str, *, validates_itself: bool = False, read: bool = False) -> Callable[[Run], Run]:
    """Register ``function`` as the implementation of ``action``; an action is registered once."""

    def register(function: Run) -> Run:
        if action in HANDLERS:
            raise AssertionError(f"{action} registered twice")
        HANDLERS[action] = Handler(function, validates_itself, read)
        return function

    return register


def paged(
    ctx: Context,
    params: Params,
    scope: Hashable,
    items: Sequence[T],
    key: Callable[[T], str],
) -> tuple[list[T], dict[str, Any]]:
    """One page of ``items`` and the ``IsTruncated``/``Marker`` members that go with it."""
    marker = params.get("Marker")
    unknown = marker is not None and not ctx.store.knows_marker(scope, marker)
    if unknown and ctx.rules.unknown_marker_error == "html-500":
        raise ServerPage  # the mutant: the listing crashes on a Marker it never issued
    if unknown and not ctx.rules.reject_unknown_marker:
        marker = None  # the mutant: an unknown Marker starts from the beginning
    max_items = params.get("MaxItems")
    if max_items is not None and max_items < 1:
        max_items = 1  # reached only when a mutant lets an out-of-range MaxItems through
    page = ctx.store.page(scope, items, key, marker, max_items)
    shown, next_marker = page.items, page.marker
    if next_marker is None and shown:
        if not ctx.rules.paging_complete and marker is not None:
            shown = shown[:-1]
        elif not ctx.rules.last_page_flag_correct:
            next_marker = ctx.store.marker_after(scope, key(shown[-1]))
    flags: dict[str, Any] = {"IsTruncated": next_marker is not None}
    if next_marker is not None:
        flags["Marker"] = next_marker
    return shown, flags
