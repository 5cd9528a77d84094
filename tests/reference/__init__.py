"""A small, conformant IAM virtual-MFA endpoint for the suite's own tests, and its mutants.

The suite's self-tests need an endpoint that is known to be right (every check must pass on it) and
endpoints known to be wrong in exactly one way (each check must be able to fail). Real AWS cannot be
used offline and moto is itself under test, so this package implements the virtual-MFA API from the
botocore model and the recorded AWS behaviour in SPEC-NOTES, on loopback only.

Public surface::

    with ReferenceEndpoint(mutant=None, account_id="123456789012", noise=None) as ep:
        ep.url         # http://127.0.0.1:PORT, serving IAM and STS Query requests
    MUTANTS            # name -> one-sentence description of the single rule it breaks
    Noise(latency_ms=0, throttle_rate=0, read_lag_s=0, seed=0)   # switches: conformant noise

Mutants and switches differ in kind: a mutant breaks one rule (the suite must report it), a switch keeps
every rule and adds what a real endpoint may show, latency, throttling, eventual consistency (the suite
must come to the same verdicts through it). Any mutant combines with any switches.

Run one by hand with ``python -m tests.reference [--mutant NAME] [--latency-ms MS] [--throttle-rate R]
[--read-lag S] [--noise-seed N]``.

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
from .noise import Noise
from .server import ReferenceEndpoint

__all__ = ["MUTANTS", "Noise", "ReferenceEndpoint"]
