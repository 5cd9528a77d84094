"""A small, conformant IAM virtual-MFA endpoint for the suite's own tests, and its mutants.

The suite's self-tests need an endpoint that is known to be right (every check must pass on it) and
endpoints known to be wrong in exactly one way (each check must be able to fail). Real AWS cannot be
used offline and moto is itself under test, so this package implements the virtual-MFA API from the
botocore model and the recorded AWS behaviour in SPEC-NOTES, on loopback only.

Public surface::

    with ReferenceEndpoint(mutant=None, account_id="123456789012") as ep:
        ep.url         # http://127.0.0.1:PORT, serving IAM and STS Query requests
    MUTANTS            # name -> one-sentence description of the single rule it breaks

Run one by hand with ``python -m tests.reference [--mutant NAME]``.

Choices made where the documents and recordings are silent (each is also noted where it is implemented):
- A missing required member is ``400 ValidationError`` "Value null at '<member>' failed to satisfy
  constraint: Member must not be null" (AWS's Coral wording), not ``MissingParameter``.
- Length messages omit the value, as the recorded too-long Path answer does; lengths count code points.
- Device uniqueness is per path + name (the serial): the same name on another path is a second device.
- Tag keys are case-insensitive; re-tagging a key in another case keeps the stored key's case.
- A device not assigned to the named user is ``404 NoSuchEntity`` for deactivate, resync, GetMFADevice.
- An IAM action this reference does not implement is ``400 InvalidAction``, like an unknown one.
"""

from __future__ import annotations

from .mutants import MUTANTS
from .server import ReferenceEndpoint

__all__ = ["MUTANTS", "ReferenceEndpoint"]
