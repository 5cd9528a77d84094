"""Blame the right party (issue 11): what the endpoint got wrong is never an ERROR of ours, and a 5xx
answer to a client request is a FAIL in every check, with its body's kind said.

A seed that is not base32 (the reference's ``hex-seed`` mutant, as MiniStack 1.5.33 hands out) makes
every TOTP code impossible: the checks that need right codes are SKIP naming the prerequisite the
endpoint failed; those that need wrong or malformed codes, or a user or device that does not exist,
judge as always.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.judging.outcomes import Info, Miss, Pass, Skip
from conformance.judging.registry import Check, CheckMiss
from conformance.judging.verdicts import ItemRecord, Judge, result_for
from conformance.runner.config import RunConfig
from conformance.scenarios.assignment import checks, refusals
from conformance.scenarios.assignment.gather import Assignment, GotDevice
from conformance.scenarios.assignment.refusal_steps import Lists, Refusals
from conformance.session.calls import ApiCall, Rejection, ServerFault, rejection_from
from conformance.session.clients import AWS_ERROR_DOCUMENT, body_kind
from conformance.session.devices import CreatedDevice, Identity
from conformance.session.secrets import Secret
from conformance.session.suite import open_suite
from reports.model import Evidence, Verdict
from tests.reference import ReferenceEndpoint
from tests.suite_runner import SuiteRun, run_suite, shared_run

_CODES = (
    "test_created_device or test_assignment or test_resync or test_malformed_code or test_unknown_entity "
    "or test_user_holding_device or test_lifecycle_state_machine"
)
NO_CODES = (
    "depends on vmfa.create.seed.base32 (FAIL): no TOTP code can be computed from a seed that is not base32"
)


def _run(report_dir: Path, mutant: str, keyword: str) -> SuiteRun:
    with ReferenceEndpoint(mutant=mutant) as endpoint:
        return run_suite(report_dir, url=endpoint.url, profile="quick", keyword=keyword)


@pytest.fixture(scope="module")
def hex_seed(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """One run, made once for every xdist worker (a module fixture is made once per worker)."""
    return shared_run(tmp_path_factory, "hex-seed", lambda report_dir: _run(report_dir, "hex-seed", _CODES))


@pytest.mark.slow
def test_a_seed_that_is_not_base32_is_the_endpoints_failure_and_never_our_error(hex_seed: SuiteRun) -> None:
    results = hex_seed.document["results"]
    assert [item for item in results if item["verdict"] == "ERROR"] == []
    failed = {item["check"] for item in results if item["verdict"] == "FAIL"}
    assert failed == {"vmfa.create.seed.base32", "vmfa.create.qr.png"}


@pytest.mark.slow
def test_checks_that_need_right_codes_depend_on_the_seed(hex_seed: SuiteRun) -> None:
    skipped = {
        item["check"]: item["message"] for item in hex_seed.document["results"] if item["verdict"] == "SKIP"
    }
    needs_codes = {
        "vmfa.enable.valid-codes",
        "vmfa.enable.in-use",  # the device could not be enabled: the codes could not be right
        "vmfa.enable.other-user",  # nor the second device, the refusals' own
        "vmfa.delete.assigned",
        "vmfa.delete-user.device-attached",
        "vmfa.resync.valid-codes",
        "vmfa.resync.wrong-codes",  # no enabled device to resync
        "vmfa.lifecycle.answers-agree",
        "vmfa.lifecycle.lists-agree",
    }
    assert {check: skipped.get(check) for check in needs_codes} == dict.fromkeys(needs_codes, NO_CODES)


@pytest.mark.slow
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
    """An endpoint with a hex seed (MiniStack's), whose enables were sent codes the suite could not
    compute: the main device's, and the second device's (the refusals')."""
    serial, second = "arn:aws:iam::123456789012:mfa/d", "arn:aws:iam::123456789012:mfa/d2"
    call = ApiCall("iam", "create_virtual_mfa_device", {"VirtualMFADeviceName": "d"}, None, "us-east-1")
    hex_seed = Secret(b"8F3A0C9D1E2B4C5D6E7F8091A2B3C4D5")
    device = CreatedDevice(
        call, Identity("123456789012", "aws"), serial, hex_seed, Secret(b"QR"), frozenset()
    )
    held: Lists = (frozenset({second}), frozenset())  # the user's list, the other user's
    return Assignment(
        device=device,
        user_name="u",
        enabled=enabled,
        released_serial="arn:aws:iam::123456789012:mfa/d3",
        removed_serial="arn:aws:iam::123456789012:mfa/d4",
        listed={},
        unfiltered=frozenset({serial}),
        got=GotDevice("u", serial, frozenset()),
        user_devices=frozenset({serial}),
        enabled_again=_rejection("enable_mfa_device", "EntityAlreadyExists", 409),
        deactivated=None,
        deleted=None,
        released_enabled=enabled,
        removal_prepared=enabled,
        refusals=Refusals(
            serial=second,
            user="u",
            other_user="o",
            enabled=enabled,
            enabled_for_other=_rejection("enable_mfa_device", "EntityAlreadyExists", 409),
            after_enable_for_other=held,
            deactivated_for_other=_rejection("deactivate_mfa_device", "NoSuchEntity", 404),
            after_deactivate_for_other=held,
            deleted_while_assigned=_rejection("delete_virtual_mfa_device", "DeleteConflict", 409),
            after_delete=held,
        ),
        wrong_codes=None,  # accepted: the endpoint takes any codes
        deactivated_unassigned=None,
        third_device_calls=(),
        codes_computed=False,
    )


def test_an_endpoint_that_takes_any_codes_is_judged_on_the_device_it_enabled() -> None:
    """MiniStack 1.5.33 enables a device whatever the codes: what it gets right still passes."""
    seen = _assignment(enabled=None)
    assert checks.valid_codes_enable(seen) == Skip(NO_CODES)
    assert refusals.device_in_use_refused(seen) == Pass()
    assert refusals.other_user_enable_refused(seen) == Pass()
    assert refusals.assigned_device_cannot_be_deleted(seen) == Pass()
    assert isinstance(checks.wrong_codes_refused(seen), Miss)  # it took wrong codes: its failure


def test_an_endpoint_that_refused_the_codes_it_could_not_be_given_is_not_blamed() -> None:
    seen = _assignment(enabled=_rejection("enable_mfa_device", "InvalidAuthenticationCode", 403))
    assert refusals.device_in_use_refused(seen) == Skip(NO_CODES)
    assert refusals.other_user_enable_refused(seen) == Skip(NO_CODES)
    assert refusals.assigned_device_cannot_be_deleted(seen) == Skip(NO_CODES)


# -- a 5xx answer is a FAIL in every check, its body's kind said ------------------------------------


@pytest.mark.parametrize(
    ("headers", "body", "kind"),
    [
        ({"content-type": "text/html"}, b"<h1>Internal Server Error</h1>", "an HTML page"),
        ({"content-type": "text/xml"}, b"<!DOCTYPE html><html></html>", "an HTML page"),
        ({}, b"  \n", "an empty body"),
        ({}, b"<ErrorResponse><Error><Code>InternalError</Code></Error></ErrorResponse>", AWS_ERROR_DOCUMENT),
        (
            {"content-type": "application/json"},
            b'{"message": "KeyError"}',
            "a body that is not an AWS error document",
        ),
    ],
    ids=["html", "html-as-xml", "empty", "aws", "json"],
)
def test_an_error_bodys_kind_is_named(headers: dict[str, str], body: bytes, kind: str) -> None:
    assert body_kind(headers, body) == kind


def test_a_code_botocore_made_up_for_an_empty_500_is_not_the_endpoints() -> None:
    call = ApiCall("iam", "list_virtual_mfa_devices", {}, None, "us-east-1")
    response: dict[str, Any] = {
        "Error": {"Code": "500", "Message": "Internal Server Error"},
        "ResponseMetadata": {"HTTPStatusCode": 500},
    }
    rejection = rejection_from(call, ClientError(response, "ListVirtualMFADevices"), "an empty body")
    assert (rejection.code, rejection.message) == ("", "")
    assert rejection.describe() == "HTTP 500 (no code) (an empty body)"


def test_an_answer_without_a_code_is_a_missing_operation_only_where_the_operation_never_worked() -> None:
    missing = _rejection("get_mfa_device", "", 500)
    assert missing.not_implemented  # moto's HTML 500 for an action it lacks
    assert not dataclasses.replace(missing, offered=True).not_implemented  # it answered that one before


_OBSERVED: Check[Rejection] = Check(
    "t.observed", "Op", "t", "c", Evidence.OBSERVED, "as AWS", lambda seen: Miss("HTTP 400", seen.describe())
)
_RECORDED: Check[Rejection] = Check(
    "t.recorded", "Op", "t", "c", Evidence.NONE, "recorded", lambda seen: Info(seen.describe())
)


@pytest.mark.parametrize(
    ("check", "answer", "verdict"),
    [
        (_OBSERVED, _rejection("list_virtual_mfa_devices", "InternalError", 500), "FAIL"),
        (_OBSERVED, _rejection("list_virtual_mfa_devices", "ValidationError", 409), "DEVIATION"),
        (_RECORDED, _rejection("create_virtual_mfa_device", "", 503), "FAIL"),
    ],
    ids=["5xx-miss", "4xx-miss", "5xx-info"],
)
def test_a_5xx_is_a_fail_whatever_the_evidence(check: Check[Any], answer: Rejection, verdict: str) -> None:
    judge = Judge(ItemRecord())
    with pytest.raises(CheckMiss) as raised:
        judge(check, answer)
    assert str(result_for(check, raised, judge.record, 0.0).verdict) == verdict


def test_a_needed_call_that_answered_5xx_is_a_fail() -> None:
    answer = dataclasses.replace(
        _rejection("create_user", "", 500), message="", body="an HTML page", offered=True
    )
    with pytest.raises(ServerFault) as raised:
        answer.unexpected()
    result = result_for(_OBSERVED, raised, ItemRecord(), 0.0)
    assert (result.verdict, result.observed) == (Verdict.FAIL, "HTTP 500 (no code) (an HTML page)")
    assert result.message.startswith("t.observed (FAIL, a 5xx answer): the endpoint failed a request")


def test_moto_s_html_500_is_described_by_its_kind() -> None:
    """moto answers a Marker it never issued with an HTML 500 page, which botocore cannot parse."""
    config = RunConfig("moto-server", None, "us-east-1", "quick", None, False, None)
    with open_suite(config) as suite:
        reply = suite.send("list_virtual_mfa_devices", {"Marker": "invalid-marker-value"}, validated=False)
    assert reply.rejection is not None
    assert reply.rejection.describe() == "HTTP 500 (no code) (an HTML page)"
