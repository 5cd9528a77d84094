"""Blame the right party (issue 11): what the endpoint got wrong is never an ERROR of ours.

A seed that is not base32 (the reference's ``hex-seed`` mutant, as MiniStack 1.5.33 hands out) makes
every TOTP code impossible: the checks that need right codes are SKIP naming the prerequisite the
endpoint failed; those that need wrong or malformed codes, or a user or device that does not exist,
judge as always.
"""

from __future__ import annotations

import pytest

from conformance.judging.outcomes import Miss, Pass, Skip
from conformance.scenarios.assignment import checks
from conformance.scenarios.assignment.gather import Assignment, GotDevice
from conformance.session.calls import ApiCall, Rejection
from conformance.session.devices import CreatedDevice, Identity
from conformance.session.secrets import Secret
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SuiteRun, run_suite

_CODES = (
    "test_created_device or test_assignment or test_resync or test_malformed_code or test_unknown_entity "
    "or test_lifecycle_state_machine"
)
NO_CODES = (
    "depends on vmfa.create.seed.base32 (FAIL): no TOTP code can be computed from a seed that is not base32"
)


def _run(tmp_path_factory: pytest.TempPathFactory, mutant: str, keyword: str) -> SuiteRun:
    with ReferenceEndpoint(mutant=mutant) as endpoint:
        args = ("--target", "url", "--endpoint-url", endpoint.url, "--profile", "quick", "-k", keyword)
        return run_suite(tmp_path_factory.mktemp(mutant) / "report", *args)


@pytest.fixture(scope="module")
def hex_seed(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return _run(tmp_path_factory, "hex-seed", _CODES)


def test_a_seed_that_is_not_base32_is_the_endpoints_failure_and_never_our_error(hex_seed: SuiteRun) -> None:
    results = hex_seed.document["results"]
    assert [item for item in results if item["verdict"] == "ERROR"] == []
    failed = {item["check"] for item in results if item["verdict"] == "FAIL"}
    assert failed == {"vmfa.create.seed.base32", "vmfa.create.qr.png"}


def test_checks_that_need_right_codes_depend_on_the_seed(hex_seed: SuiteRun) -> None:
    skipped = {
        item["check"]: item["message"] for item in hex_seed.document["results"] if item["verdict"] == "SKIP"
    }
    needs_codes = {
        "vmfa.enable.valid-codes",
        "vmfa.enable.in-use",  # the device could not be enabled: the codes could not be right
        "vmfa.delete.assigned",
        "vmfa.resync.valid-codes",
        "vmfa.resync.wrong-codes",  # no enabled device to resync
        "vmfa.lifecycle.answers-agree",
        "vmfa.lifecycle.lists-agree",
    }
    assert {check: skipped.get(check) for check in needs_codes} == dict.fromkeys(needs_codes, NO_CODES)


def test_checks_that_need_no_valid_seed_still_judge(hex_seed: SuiteRun) -> None:
    verdicts = {(item["check"], item["case"]): item["verdict"] for item in hex_seed.document["results"]}
    assert verdicts[("vmfa.enable.wrong-codes", None)] == "PASS"
    malformed = {
        case: verdict for (check, case), verdict in verdicts.items() if check == "vmfa.enable.malformed-codes"
    }
    assert set(malformed.values()) == {"PASS"} and len(malformed) == 3
    unknown = {
        case: verdict
        for (check, case), verdict in verdicts.items()
        if check == "vmfa.lifecycle.unknown-entity"
    }
    assert unknown["EnableMFADevice: the user"] == unknown["EnableMFADevice: the device"] == "PASS"
    assert unknown["ResyncMFADevice: the device"] == "PASS"
    assert set(unknown.values()) == {"PASS"}


def _rejection(operation: str, code: str, status: int) -> Rejection:
    return Rejection(ApiCall("iam", operation, {}, None, "us-east-1"), status, code, "m", "Sender")


def _assignment(enabled: Rejection | None) -> Assignment:
    """An endpoint with a hex seed (MiniStack's), whose enable was sent codes the suite could not compute."""
    serial = "arn:aws:iam::123456789012:mfa/d"
    call = ApiCall("iam", "create_virtual_mfa_device", {"VirtualMFADeviceName": "d"}, None, "us-east-1")
    hex_seed = Secret(b"8F3A0C9D1E2B4C5D6E7F8091A2B3C4D5")
    device = CreatedDevice(
        call, Identity("123456789012", "aws"), serial, hex_seed, Secret(b"QR"), frozenset()
    )
    return Assignment(
        device=device,
        user_name="u",
        enabled=enabled,
        listed_assigned={},
        got=GotDevice("u", serial, frozenset()),
        user_devices=frozenset({serial}),
        enabled_again=_rejection("enable_mfa_device", "EntityAlreadyExists", 409),
        deleted_while_assigned=_rejection("delete_virtual_mfa_device", "DeleteConflict", 409),
        deactivated=None,
        listed_after={},
        user_devices_after=frozenset(),
        deleted=None,
        listed_deleted={},
        wrong_codes=None,  # accepted: the endpoint takes any codes
        codes_computed=False,
    )


def test_an_endpoint_that_takes_any_codes_is_judged_on_the_device_it_enabled() -> None:
    """MiniStack 1.5.33 enables a device whatever the codes: what it gets right still passes."""
    seen = _assignment(enabled=None)
    assert checks.valid_codes_enable(seen) == Skip(NO_CODES)
    assert checks.device_in_use_refused(seen) == Pass()
    assert checks.assigned_device_cannot_be_deleted(seen) == Pass()
    assert isinstance(checks.wrong_codes_refused(seen), Miss)  # it took wrong codes: its failure


def test_an_endpoint_that_refused_the_codes_it_could_not_be_given_is_not_blamed() -> None:
    seen = _assignment(enabled=_rejection("enable_mfa_device", "InvalidAuthenticationCode", 403))
    assert checks.device_in_use_refused(seen) == Skip(NO_CODES)
    assert checks.assigned_device_cannot_be_deleted(seen) == Skip(NO_CODES)
