"""Valid CreateVirtualMFADevice requests, as keyword arguments for boto3's ``create_virtual_mfa_device``.

Why a module of its own: the member strategies live in ``paths``, ``names`` and ``tags``; composing
them is where optional members are sometimes sent and sometimes left out, and where ``serial_safe``
shares the serial budget between the path drawn and the name that follows it.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from strategies.names import check_prefix, name_bound, name_constraint, virtual_mfa_device_names
from strategies.paths import path_shape, paths
from strategies.serials import serial_budget
from strategies.tags import tag_lists, tags

__all__ = [
    "create_virtual_mfa_device_requests",
    "paths",
    "requests_lacking",
    "tags",
    "virtual_mfa_device_names",
]


def _paths(name_prefix: str, serial_safe: bool) -> st.SearchStrategy[str]:
    if not serial_safe:
        return paths()
    # Leave room in the serial budget for the shortest name that still starts with the prefix.
    name_min = max(len(name_prefix), name_constraint().min_length or 0)
    return paths(serial_safe=True, max_length=serial_budget() - name_min)


@st.composite
def _requests(
    draw: st.DrawFn, name_prefix: str, serial_safe: bool, lacking: frozenset[str]
) -> dict[str, object]:
    params: dict[str, object] = {}
    path = None if "Path" in lacking else draw(st.none() | _paths(name_prefix, serial_safe))
    if path is not None:
        params["Path"] = path
    name_max = None  # serial-safe names get what the path left of the serial budget
    if serial_safe:
        name_max = serial_budget() - len(path_shape().delimiter if path is None else path)
    if "VirtualMFADeviceName" not in lacking:
        params["VirtualMFADeviceName"] = draw(
            virtual_mfa_device_names(name_prefix, serial_safe=serial_safe, max_length=name_max)
        )
    tag_list = None if "Tags" in lacking else draw(st.none() | tags())
    if tag_list is not None:
        params["Tags"] = tag_list
    return params


def create_virtual_mfa_device_requests(
    name_prefix: str = "", *, serial_safe: bool = False
) -> st.SearchStrategy[dict[str, object]]:
    """Valid requests; ``Path`` and ``Tags`` are sometimes absent, and ``Tags`` is sometimes empty.

    Every name starts with ``name_prefix``. With ``serial_safe=True`` the serial AWS would return
    (``strategies.serials.serial_number``) meets the model's SerialNumber constraints too.
    """
    check_prefix(name_prefix, name_bound(serial_safe=serial_safe))
    return _requests(name_prefix, serial_safe, frozenset())


# The companions of a broken member are small: an invalid example is about the member it breaks, and
# every choice behind its companions is one more shrink step, each an API call, when an endpoint fails.
_COMPANION_PATH_MAX = 32
_COMPANION_NAME_MAX = 32
_COMPANION_TAGS_MAX = 3


@functools.cache
def requests_lacking(member: str, name_prefix: str = "") -> st.SearchStrategy[dict[str, object]]:
    """Small valid requests but for ``member``, never drawn: the base ``strategies.invalid`` breaks.

    Leaving ``member`` out saves drawing what the caller replaces; without a ``VirtualMFADeviceName``
    the request is no longer valid, which is the caller's business.
    """
    check_prefix(name_prefix, _COMPANION_NAME_MAX)
    params: dict[str, st.SearchStrategy[object]] = {}
    optional: dict[str, st.SearchStrategy[object]] = {}
    if member != "Path":
        optional["Path"] = paths(max_length=_COMPANION_PATH_MAX)
    if member != "VirtualMFADeviceName":
        params["VirtualMFADeviceName"] = virtual_mfa_device_names(name_prefix, max_length=_COMPANION_NAME_MAX)
    if member != "Tags":
        optional["Tags"] = tag_lists(0, _COMPANION_TAGS_MAX)
    return st.fixed_dictionaries(params, optional=optional)
