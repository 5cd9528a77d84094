"""The options that make a run safe in a shared AWS account, for the command line and the plugin alike.

Why a module of their own: the command (`conformance.runner.cli`) and the plugin
(`conformance.runner.plugin`) both take them, and both hand them to `RunConfig`, which validates them
(`conformance.runner.config`); keeping the three views in one place keeps their names and meanings
together. What they do is elsewhere: the account allow-list in `conformance.session.aws_guard`, the run
prefix in `conformance.session.ownership`, the call budget in `conformance.session.budget`, the masked
account in `mask_account` below.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from conformance.runner.config import AWS_ACCOUNT_ENV, RunConfig
from conformance.session.aws_guard import masked_account
from conformance.session.suite import SuiteSession
from reports import results_json
from reports.model import RunResult

__all__ = [
    "add_cli_options",
    "add_plugin_options",
    "mask_account",
    "masked_account",
    "ownership_notes",
    "pytest_args",
]


def add_cli_options(run: argparse.ArgumentParser) -> None:
    run.add_argument(
        "--aws-account",
        dest="aws_accounts",
        action="append",
        metavar="ID",
        help=f"with --target aws: an account the run may touch (repeatable; or {AWS_ACCOUNT_ENV}=ID,ID); "
        "any other, root-user credentials or none are refused before the first write",
    )
    run.add_argument(
        "--allow-root-path",
        action="store_true",
        help="with --target aws: also send the invalid paths that cannot be nested under the run's "
        "prefix (a device outside it, if AWS wrongly accepted one)",
    )
    run.add_argument(
        "--show-account", action="store_true", help="show the AWS account id in reports (masked by default)"
    )
    run.add_argument(
        "--max-calls",
        type=int,
        metavar="N",
        help="send at most N API calls; the checks left are SKIP 'call budget spent' (cleanup still runs)",
    )


def pytest_args(config: RunConfig) -> list[str]:
    """The plugin's options that carry the same settings into the pytest run."""
    args = [arg for account in config.aws_accounts for arg in ("--iam-aws-account", account)]
    if config.allow_root_path:
        args.append("--iam-allow-root-path")
    if config.show_account:
        args.append("--iam-show-account")
    if config.max_calls is not None:
        args += ["--iam-max-calls", str(config.max_calls)]
    return args


def add_plugin_options(group: Any) -> None:
    group.addoption(
        "--iam-aws-account",
        dest="iam_aws_accounts",
        action="append",
        default=None,
        help="an account the run may touch",
    )
    group.addoption("--iam-allow-root-path", action="store_true", help="send paths outside the run's prefix")
    group.addoption("--iam-show-account", action="store_true", help="show the AWS account id in reports")
    group.addoption("--iam-max-calls", type=int, default=None, help="send at most N API calls")


def ownership_notes(suite: SuiteSession) -> tuple[str, ...]:
    """What the run's report says of where its resources were: on AWS, its run id and prefix (what
    ``iam-conformance sweep`` looks for); on any target, the requests it sent outside the prefix."""
    ownership = suite.ownership
    notes = []
    if suite.endpoint.target == "aws":
        notes.append(f"run {ownership.run_id}: its devices and users were created under {ownership.prefix}")
    if ownership.outside:
        notes.append(
            f"{len(ownership.outside)} create request(s) had an invalid path that could not be nested under "
            f"{ownership.prefix} and were sent as drawn (their names carry the run id)"
        )
    return tuple(notes)


def mask_account(run: RunResult, config: RunConfig) -> RunResult:
    """The run with its account id masked in every text (serials, ARNs, messages, reproductions), unless
    it is not an AWS run or ``--show-account`` was given. Done on the record as results.json has it: a
    12-digit id holds nothing JSON escapes, and its masked form no quote or backslash."""
    account = run.target.account_id
    if config.target != "aws" or config.show_account or not account:
        return run
    text = results_json.render(run).replace(account, masked_account(account))
    return RunResult.from_json(json.loads(text))
