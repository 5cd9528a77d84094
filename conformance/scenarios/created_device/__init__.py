"""A device created from a valid request, and every rule about what the create answered.

The observation is the session's `CreatedDevice` (or the `Rejection` of a valid request, judged by
``vmfa.create.valid-request-accepted`` alone); the checks are by member of the answer: the serial
(`serial_number`), the seed (`seed`), the QR image (`qr_code`, decoded by `qr_decoder`) and the
``otpauth://`` URI it holds (`otpauth`), the device's state (`fresh_device`), and the request as a
whole (`request`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.session.calls import Rejection
from conformance.session.devices import CreatedDevice
from conformance.session.suite import SuiteSession

__all__ = ["CREATED", "REQUEST", "gather"]

CREATED = "create.valid"  # checks of the created device
REQUEST = "create.request"  # the check that the valid request was accepted at all


def gather(suite: SuiteSession, params: Mapping[str, Any]) -> CreatedDevice | Rejection:
    """Create a device from ``params`` and delete it again: what the create answered."""
    with suite.create_device(params) as outcome:
        return outcome
