"""What the fork server of `tests.cli_forkserver` does once, before it forks the runs: import the CLI
(pytest, Hypothesis, botocore, the QR decoders), import every scenario module (what a run's
collection imports through ``checks_for``, about 0.5 s: the Unicode category tables the model's
patterns need), and fill the caches the request strategies build at their first draw (the character
sets behind the model's patterns, Hypothesis's validation of each strategy: about 0.5 s of a run that
draws requests): valid and invalid creates, invalid list requests and markers, malformed codes.

Nothing here decides what a run does: the caches are those of pure functions (``functools.cache``,
Hypothesis's strategy cache), whose values are the same whoever fills them; the run still draws its
own examples from its own seed, and its profile and options are read when it starts, not here (the
operations modules, which read the profile when they are imported, are left to the run's collection).
The proof table checks the verdicts of every run exactly, so a cache that changed a draw would show.
"""

from __future__ import annotations

import warnings

from hypothesis.errors import NonInteractiveExampleWarning

from conformance.runner import cli  # noqa: F401  (the command's own imports)
from conformance.scenarios import all_checks
from strategies.authentication_codes import MALFORMED_CODE_LABELS, malformed_codes
from strategies.invalid import invalid_create_virtual_mfa_device_requests
from strategies.list_requests import INVALID_LIST_LABELS, invalid_list_requests, unissued_markers
from strategies.valid import create_virtual_mfa_device_requests
from strategies.violations import CREATE_LABELS

all_checks()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    for serial_safe in (True, False):
        create_virtual_mfa_device_requests(serial_safe=serial_safe).example()
    for spec in CREATE_LABELS:
        invalid_create_virtual_mfa_device_requests([spec.label]).example()
    for label in INVALID_LIST_LABELS:
        invalid_list_requests(label).example()
    unissued_markers().example()
    for label in MALFORMED_CODE_LABELS:
        malformed_codes(label).example()
