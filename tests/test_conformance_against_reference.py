"""Rule 3, end to end: the whole suite, run as a user runs it (the CLI), passes every check on the
reference endpoint, and on each mutant reports exactly the matching check, with the verdict its
evidence gives (FAIL for model and documented rules, DEVIATION for what real AWS was observed doing).

A mutant breaks one rule of one area of behaviour, so its run is restricted (``-k``) to the tests of
that area; the conformant run is complete. Checks that depend on the broken rule may be SKIP (not
judged), and the spec's contradictions are INFO everywhere; nothing else may be other than PASS.

Every run is a CLI subprocess with the fixed seed (``tests.suite_runner.SEED``) against an endpoint of
its own, served by a thread of the test process (it starts in milliseconds; the subprocess is what
costs). Each run is made once and shared by the tests that read it (``shared_run``, in
``tests.proof_runs``): the conformant run, which tests/test_workers.py also reads as its serial run, and a
row's run, which the tests of a refusal and of a reproduction read too (the same command: the same
mutant, area, profile and seed). Each row of the table is a test of its own, so that pytest-xdist spreads
the rows over the cores. A row's run uses the smallest profile that still proves it (``PROOF_PROFILE``).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from conformance.scenarios import all_checks
from tests.proof_runs import conformant_run, run_against
from tests.reference import MUTANTS, ReferenceEndpoint
from tests.suite_runner import SuiteRun, shared_run

# The tests of each area of behaviour, as a pytest -k expression.
AREAS = {
    "created": "test_created_device or test_valid_request",
    "invalid": "test_invalid_request or test_refused_create_leaves_nothing",
    "duplicates": "test_same_path_and_name or test_same_name_on_another_path",
    "tags": "test_tags_given_at_creation",
    "assignment": "test_assignment",
    "device_tags": "test_device_tags",
    "listing": "test_paging or test_invalid_list_request or test_unknown_marker",
    "codes": "test_resync or test_malformed_code",
    "unknown": "test_unknown_entity",
    "user_deletion": "test_user_holding_device",
    "serials": "test_invalid_serial_number",
    "stateful": "test_lifecycle_state_machine",
}

# Areas whose requests create no device (so no seed to look for in the reports).
CREATE_NO_DEVICE = {"serials"}

# Checks that are INFO by design on a conformant endpoint: the spec is silent or contradicts itself.
ALWAYS_INFO = {
    "vmfa.create.qr.label",  # the edge cases send a name holding '@': an ambiguous label
    "vmfa.create.duplicate.other-path",
    "vmfa.create.serial.spec-contradiction",
    "vmfa.tags.key-case",  # a key re-sent in another case: the documents do not say what happens
}

# mutant (or "mutant/area") -> (the one check that reports it, its verdict, the area it breaks)
CAUGHT_BY: dict[str, tuple[str, str, str]] = {
    "qr-not-png": ("vmfa.create.qr.png", "FAIL", "created"),
    "qr-two-symbols": ("vmfa.create.qr.single-symbol", "FAIL", "created"),
    "qr-hotp": ("vmfa.create.qr.otpauth-totp", "FAIL", "created"),
    "qr-wrong-secret": ("vmfa.create.qr.secret-matches-seed", "FAIL", "created"),
    "qr-label-no-account": ("vmfa.create.qr.label", "FAIL", "created"),
    "qr-8-digits": ("vmfa.create.qr.otp-parameters", "FAIL", "created"),
    "qr-duplicate-issuer": ("vmfa.create.qr.pyotp-parses", "DEVIATION", "created"),
    "qr-faint": ("vmfa.create.qr.zxing-agrees", "DEVIATION", "created"),
    "seed-invalid-char": ("vmfa.create.seed.base32", "FAIL", "created"),
    "seed-10-bytes": ("vmfa.create.seed.min-128-bits", "FAIL", "created"),
    "seed-20-bytes": ("vmfa.create.seed.aws-length", "DEVIATION", "created"),
    "serial-drops-path": ("vmfa.create.serial.arn", "FAIL", "created"),
    "fresh-device-has-enable-date": ("vmfa.create.fresh-device-unassigned", "DEVIATION", "created"),
    "name-plus-rejected": ("vmfa.create.valid-request-accepted", "FAIL", "created"),
    "path-pattern-not-enforced": ("vmfa.create.invalid.rejected", "FAIL", "invalid"),
    "path-length-not-enforced": ("vmfa.create.invalid.rejected", "FAIL", "invalid"),
    # a space just below the Path class's range: the explicit boundaries catch it in a quick run
    "path-accepts-space": ("vmfa.create.invalid.rejected", "FAIL", "invalid"),
    "name-unicode-word-accepted": ("vmfa.create.invalid.rejected", "FAIL", "invalid"),
    "tags-51-accepted": ("vmfa.create.invalid.rejected", "FAIL", "invalid"),
    "tags-duplicate-keys-accepted": ("vmfa.create.invalid.rejected", "FAIL", "invalid"),
    "validation-as-500": ("vmfa.create.invalid.client-fault", "FAIL", "invalid"),
    "validation-code-unknown": ("vmfa.create.invalid.error-code", "FAIL", "invalid"),
    "validation-status-409": ("vmfa.create.invalid.status-matches-code", "FAIL", "invalid"),
    "validation-as-invalid-input": ("vmfa.create.invalid.as-aws", "DEVIATION", "invalid"),
    "failed-create-leaves-device": ("vmfa.create.invalid.nothing-created", "FAIL", "invalid"),
    "duplicates-accepted": ("vmfa.create.duplicate.rejected", "FAIL", "duplicates"),
    "entity-already-exists-status-400": ("vmfa.create.duplicate.status", "FAIL", "duplicates"),
    "tags-dropped": ("vmfa.create.tags.listed", "FAIL", "tags"),
    "valid-codes-rejected": ("vmfa.enable.valid-codes", "FAIL", "assignment"),
    "any-auth-code-accepted": ("vmfa.enable.wrong-codes", "FAIL", "assignment"),
    "enable-twice": ("vmfa.enable.in-use", "FAIL", "assignment"),
    "enable-other-user": ("vmfa.enable.other-user", "FAIL", "assignment"),
    "deactivate-unassigned-500": ("vmfa.deactivate.not-assigned", "FAIL", "assignment"),
    "list-defaults-to-assigned": ("vmfa.list.default-any", "FAIL", "assignment"),
    "delete-assigned-leaves-entry": ("vmfa.list-mfa-devices.no-dangling", "FAIL", "assignment"),
    "delete-user-with-device-allowed": ("vmfa.delete-user.device-attached", "FAIL", "user_deletion"),
    "serial-not-validated": ("vmfa.serial.invalid-rejected", "FAIL", "serials"),
    "list-ignores-assignment-status": ("vmfa.list.assignment-filter", "FAIL", "assignment"),
    "list-leaks-seed": ("vmfa.list.no-secrets", "FAIL", "assignment"),
    "delete-assigned-allowed": ("vmfa.delete.assigned", "FAIL", "assignment"),
    "deactivate-keeps-user": ("vmfa.deactivate.releases", "FAIL", "assignment"),
    "list-entry-omits-user": ("vmfa.list.assigned-entry", "DEVIATION", "assignment"),
    "get-mfa-device-not-found": ("vmfa.get.enabled-device", "FAIL", "assignment"),
    "list-mfa-devices-empty": ("vmfa.list-mfa-devices.follows-assignment", "FAIL", "assignment"),
    "delete-noop": ("vmfa.delete.unlisted", "FAIL", "assignment"),
    "paging-drops-last": ("vmfa.list.paging-complete", "FAIL", "listing"),
    "last-page-truncated": ("vmfa.list.last-page", "FAIL", "listing"),
    "list-params-not-validated": ("vmfa.list.invalid-rejected", "FAIL", "listing"),
    "unknown-marker-accepted": ("vmfa.list.unknown-marker", "DEVIATION", "listing"),
    # The same rule, broken with a 500: the endpoint failed a client request, a FAIL whatever the evidence.
    "unknown-marker-html-500": ("vmfa.list.unknown-marker", "FAIL", "listing"),
    "resync-rejects-valid": ("vmfa.resync.valid-codes", "FAIL", "codes"),
    "any-auth-code-accepted/codes": ("vmfa.resync.wrong-codes", "FAIL", "codes"),
    "malformed-codes-as-wrong": ("vmfa.enable.malformed-codes", "FAIL", "codes"),
    "tag-drops-new-keys": ("vmfa.tags.tag-adds", "FAIL", "device_tags"),
    "tag-keeps-old-value": ("vmfa.tags.tag-overwrites", "FAIL", "device_tags"),
    "untag-noop": ("vmfa.tags.untag-removes", "FAIL", "device_tags"),
    "tag-limit-not-enforced": ("vmfa.tags.limit", "FAIL", "device_tags"),
    "no-such-entity-status-400": ("vmfa.tags.unknown-device", "FAIL", "device_tags"),
    # A mutant run again in another area is keyed "mutant/area".
    "validation-as-500/device_tags": ("vmfa.tags.invalid-rejected", "FAIL", "device_tags"),
    "no-such-entity-status-400/unknown": ("vmfa.lifecycle.unknown-entity", "FAIL", "unknown"),
    # The lifecycle state machine: a wrong answer is answers-agree's, a wrong list lists-agree's.
    "delete-assigned-allowed/stateful": ("vmfa.lifecycle.answers-agree", "FAIL", "stateful"),
    "enable-twice/stateful": ("vmfa.lifecycle.answers-agree", "FAIL", "stateful"),
    "deactivate-keeps-user/stateful": ("vmfa.lifecycle.lists-agree", "FAIL", "stateful"),
    "untag-noop/stateful": ("vmfa.lifecycle.lists-agree", "FAIL", "stateful"),
    "list-ignores-assignment-status/stateful": ("vmfa.lifecycle.lists-agree", "FAIL", "stateful"),
    "paging-drops-last/stateful": ("vmfa.lifecycle.lists-agree", "FAIL", "stateful"),
}
# An endpoint that never releases a device leaves it, and its user, undeletable: named in the report.
LEAVES_DEVICES = {"deactivate-keeps-user", "delete-noop"}
# What else a mutant rightly changes: an answer that breaks a rule may also differ from real AWS.
SIDE_EFFECTS: dict[str, dict[str, set[str]]] = {
    "seed-10-bytes": {"vmfa.create.seed.aws-length": {"DEVIATION"}},  # 10 bytes is not AWS's 40 either
    # AWS says ValidationError; and a 500 is a FAIL whatever the evidence: the endpoint failed the request
    "validation-as-500": {"vmfa.create.invalid.as-aws": {"FAIL"}},
    "validation-code-unknown": {"vmfa.create.invalid.as-aws": {"DEVIATION"}},
    "validation-status-409": {},
    # the device deleted while assigned is the finding of vmfa.delete.assigned; the entry left, this one's
    "delete-assigned-leaves-entry": {"vmfa.delete.assigned": {"FAIL"}},
}
# Each row's run is at the suite's smallest profile, ``aws``: 3 examples after the explicit boundary
# examples, no shrinking, no example database (against ``--target url`` it is only these Hypothesis
# settings). Every row is shown at it with the fixed seed. Shrinking is not part of a proof: a row needs
# its check to miss, with a counterexample, not the smallest one. A row that needs more examples to
# show names its profile in ROW_PROFILES. The conformant run is complete, at ``quick``.
PROOF_PROFILE = "aws"
ROW_PROFILES: dict[str, str] = {}

# Always-INFO checks record behaviour and cannot miss; what they record is tested below instead.
RECORDING_ONLY = {
    "vmfa.create.duplicate.other-path",
    "vmfa.create.serial.spec-contradiction",
    "vmfa.tags.key-case",
}


def _mutant_run(tmp_path_factory: pytest.TempPathFactory, key: str) -> SuiteRun:
    """The run of the row ``key``, made once for every test and xdist worker that reads it."""
    name = "mutant-" + key.replace("/", "-")
    mutant, area = key.split("/")[0], CAUGHT_BY[key][2]
    args = ("--profile", ROW_PROFILES.get(key, PROOF_PROFILE), "-k", AREAS[area])
    leaves, creates = mutant in LEAVES_DEVICES, area not in CREATE_NO_DEVICE

    def make(report_dir: Path) -> SuiteRun:
        return run_against(report_dir, mutant, *args, may_leave=leaves, creates=creates)

    return shared_run(tmp_path_factory, name, make)


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """The conformant endpoint, judged by one complete suite run, made once for every xdist worker (and
    read by tests/test_workers.py too, as its serial run)."""
    return conformant_run(tmp_path_factory)


def _unexpected(run: SuiteRun, allowed: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """Per check, the verdicts beyond PASS, SKIP and the always-INFO ones, unless ``allowed``."""
    found: dict[str, set[str]] = {}
    for item in run.document["results"]:
        verdict, check = item["verdict"], item["check"]
        fine = {"PASS", "SKIP"} | ({"INFO"} if check in ALWAYS_INFO else set()) | allowed.get(check, set())
        if verdict not in fine:
            found.setdefault(check, set()).add(verdict)
    return found


@pytest.mark.slow
def test_every_check_passes_on_the_reference_endpoint(reference_run: SuiteRun) -> None:
    run = reference_run
    assert run.returncode == 0, run.stdout + run.stderr
    verdicts = {(item["check"], item["verdict"]) for item in run.document["results"]}
    expected = {(check.id, "INFO" if check.id in ALWAYS_INFO else "PASS") for check in all_checks()}
    assert verdicts == expected


@pytest.mark.slow
def test_the_report_records_target_model_and_examples(reference_run: SuiteRun) -> None:
    document = reference_run.document
    assert document["schema"] == "iam-conformance/results/1"
    assert document["target"]["name"] == "url"
    assert document["target"]["account_id"] == "123456789012"
    assert "from botocore " in document["model_version"]
    assert document["api_calls"] > 0
    assert all(item["examples"] > 0 for item in document["results"])
    cases = {item["case"] for item in document["results"] if item["check"] == "vmfa.create.invalid.rejected"}
    assert "path.length.max" in cases and "tags.count.max" in cases  # one result per violated constraint


@pytest.mark.slow
def test_recording_checks_say_what_the_reference_does(reference_run: SuiteRun) -> None:
    notes = {item["check"]: " ".join(item["notes"]) for item in reference_run.document["results"]}
    assert "accepted as a second device" in notes["vmfa.create.duplicate.other-path"]
    assert "created" in notes["vmfa.create.serial.spec-contradiction"]
    assert "refused" in notes["vmfa.create.serial.spec-contradiction"]  # the delete, on a conformant endpoint


# Checks judged after a refusal's step, on the main device: a refusal wrongly accepted must hide none.
AFTER_REFUSALS = (
    "vmfa.deactivate.releases",
    "vmfa.delete.unlisted",
    "vmfa.list-mfa-devices.follows-assignment",
    "vmfa.list-mfa-devices.no-dangling",
    "vmfa.list.default-any",
    "vmfa.deactivate.not-assigned",
)
# Mutants that accept a refusal of the assignment area (rows of the table: their runs are read again).
REFUSALS = ("delete-assigned-allowed", "enable-other-user", "enable-twice")


@pytest.mark.slow
@pytest.mark.parametrize("mutant", REFUSALS)
def test_a_refusal_wrongly_accepted_hides_no_later_check(
    tmp_path_factory: pytest.TempPathFactory, mutant: str
) -> None:
    verdicts = _mutant_run(tmp_path_factory, mutant).verdicts
    assert {check: verdicts[check] for check in AFTER_REFUSALS} == dict.fromkeys(AFTER_REFUSALS, "PASS")


def test_every_check_is_proven_by_a_mutant() -> None:
    proven = {check for check, _, _ in CAUGHT_BY.values()}
    assert proven == {check.id for check in all_checks()} - RECORDING_ONLY
    assert {key.split("/")[0] for key in CAUGHT_BY} <= set(MUTANTS)
    assert set(ROW_PROFILES) <= set(CAUGHT_BY)
    assert set(REFUSALS) | set(REPLAYED) <= set(CAUGHT_BY)  # their runs are the rows' runs, read again


@pytest.mark.slow
@pytest.mark.parametrize(("mutant", "expected"), sorted(CAUGHT_BY.items()))
def test_the_mutant_is_reported_by_exactly_its_check(
    tmp_path_factory: pytest.TempPathFactory, mutant: str, expected: tuple[str, str, str]
) -> None:
    run = _mutant_run(tmp_path_factory, mutant)
    check, verdict, _ = expected
    allowed = SIDE_EFFECTS.get(mutant.split("/")[0], {})
    assert _unexpected(run, allowed) == {check: {verdict}}, run.stdout[-3000:]
    left = bool(run.document["leftovers"])  # a mutant that keeps what it deletes: exit 3, listed
    assert run.returncode == (3 if left else 1 if verdict == "FAIL" else 0), run.stdout[-3000:] + run.stderr
    result = next(
        item for item in run.document["results"] if (item["check"], item["verdict"]) == expected[:2]
    )
    assert result["expected"] and result["observed"]
    # The drawn inputs, by the name each test gives them (st.data() draws show their value alone).
    drawn = (
        "params=",
        "InvalidRequest(",
        "plan=",
        "marker=",
        "name=",
        "names=",
        "boundary=",
        "{",
        "'",
        "1. ",
    )
    assert result["counterexample"] and result["counterexample"].startswith(drawn), result["counterexample"]
    assert "def reproduce():" in (result["reproduction"] or "")


# A reproduction run again, against a new endpoint with the same mutant: what the script must print (it
# shows the finding), and what it must not.
REPLAYED: dict[str, tuple[str, str, str]] = {
    "any-auth-code-accepted": (
        "vmfa.enable.wrong-codes",
        "enable_mfa_device -> 200",
        "InvalidAuthentication",
    ),
    "delete-assigned-allowed": ("vmfa.delete.assigned", "delete_virtual_mfa_device -> 200", "DeleteConflict"),
    "no-such-entity-status-400/unknown": (
        "vmfa.lifecycle.unknown-entity",
        "-> 400 {'Type': 'Sender', 'Code': 'NoSuchEntity'",
        "-> 404",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize(("mutant", "shown"), sorted(REPLAYED.items()))
def test_a_reproduction_replays_the_finding(
    tmp_path_factory: pytest.TempPathFactory, mutant: str, shown: tuple[str, str, str]
) -> None:
    """The script is the whole sequence with fresh names: run twice, it shows the finding both times."""
    check, printed, absent = shown
    run = _mutant_run(tmp_path_factory, mutant)
    result = next(item for item in run.document["results"] if item["check"] == check)
    script = result["reproduction"]
    with ReferenceEndpoint(mutant=mutant.split("/")[0]) as endpoint:
        script = re.sub(r"ENDPOINT, REGION = '[^']*'", f"ENDPOINT, REGION = {endpoint.url!r}", script)
        for _ in range(2):
            output = io.StringIO()
            with contextlib.redirect_stdout(output):
                exec(compile(script, "reproduction", "exec"), {"__name__": "__main__"})
            assert printed in output.getvalue() and absent not in output.getvalue(), output.getvalue()
