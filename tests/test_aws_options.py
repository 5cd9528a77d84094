"""The AWS safety options without an endpoint: the masked account, the printed policy, the sweeper's
durations and bad input (one line, exit 2). The runs themselves: `tests/test_aws_simulated.py`."""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import timedelta

import pytest

from conformance.runner.aws_options import mask_account
from conformance.runner.cli import main
from conformance.runner.config import RunConfig
from conformance.runner.policy import SUPPORT_OPERATIONS, policy_document, policy_operations
from conformance.runner.sweep import parse_duration
from conformance.session.aws_guard import masked_account
from reports import results_json
from reports.model import RunResult, TargetInfo, Verdict
from strategies.model import IN_SCOPE_OPERATIONS
from tests.reports.builders import make_result, make_run

_ACCOUNT = "123456789012"
_AWS = RunConfig(target="aws", allow_aws=True, aws_accounts=(_ACCOUNT,))


def _aws_run() -> RunResult:
    serial = f"arn:aws:iam::{_ACCOUNT}:mfa/iam-conformance/abc12345/phone"
    result = dataclasses.replace(make_result("vmfa.create.serial.arn", Verdict.FAIL), observed=serial)
    return make_run(
        result, target=TargetInfo("aws", "https://iam.amazonaws.com", "us-east-1", None, _ACCOUNT)
    )


def test_the_account_is_masked_in_every_text_of_an_aws_run() -> None:
    run = _aws_run()
    masked = mask_account(run, _AWS)
    text = results_json.render(masked)
    assert _ACCOUNT not in text
    assert masked.target.account_id == masked_account(_ACCOUNT)
    assert f"arn:aws:iam::{masked_account(_ACCOUNT)}:mfa/" in text
    shown = mask_account(run, dataclasses.replace(_AWS, show_account=True))
    assert _ACCOUNT in results_json.render(shown)
    assert mask_account(run, RunConfig()) is run  # not an AWS run


def test_the_policy_covers_the_models_operations_and_limits_them_to_the_suites_folder() -> None:
    scoped, listings = policy_operations()
    assert set(scoped) | set(listings) == {*IN_SCOPE_OPERATIONS, *SUPPORT_OPERATIONS}
    assert "ListVirtualMFADevices" in listings and "CreateVirtualMFADevice" in scoped
    own, lists, whoami = policy_document(_ACCOUNT)["Statement"]
    assert all(resource.startswith(f"arn:aws:iam::{_ACCOUNT}:") for resource in own["Resource"])
    assert {resource.split(":", 5)[5] for resource in own["Resource"]} == {
        "mfa/iam-conformance/*",
        "user/iam-conformance/*",
        "user/vmfa-conformance-*",
    }
    assert lists["Resource"] == "*" and whoami["Action"] == ["sts:GetCallerIdentity"]
    assert policy_document(None, "cn-north-1")["Statement"][0]["Resource"][0].startswith("arn:aws-cn:iam::*:")


def test_the_policy_command_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "--account", _ACCOUNT]) == 0
    assert json.loads(capsys.readouterr().out) == policy_document(_ACCOUNT)
    assert main(["policy", "--account", "12"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0s", 0), ("90s", 90), ("30m", 1800), ("6h", 21600), ("1h30m", 5400), ("2d", 172800)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "1", "h", "1x", "1h 2m", "-1h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["sweep"], "refusing to touch real AWS"),
        (["sweep", "--allow-aws"], "--target aws needs the account it may touch"),
        (["sweep", "--older-than", "soon"], "invalid duration"),
        (["sweep", "--target", "url"], "--target url needs --endpoint-url"),
    ],
)
def test_a_bad_sweep_is_one_line_and_exit_2(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IAM_CONFORMANCE_AWS_ACCOUNT", raising=False)
    monkeypatch.delenv("IAM_CONFORMANCE_ALLOW_AWS", raising=False)
    try:
        code = main(args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and says in err[0], err
