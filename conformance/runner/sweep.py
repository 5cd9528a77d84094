"""``iam-conformance sweep``: remove what runs that died left in an account, and nothing else.

Why: a run deletes everything it made, also when it fails or is interrupted; a run killed with SIGKILL,
or whose machine was lost, cannot. Everything a run makes lives under ``/iam-conformance/<run-id>/``
(`conformance.session.ownership`), and the run id starts with the run's start time, so a later sweep
finds those users (ListUsers with that PathPrefix) and devices (ListVirtualMFADevices, their serials)
and tells how old they are without a creation date (an unassigned device has none). What it finds
older than ``--older-than`` (default one hour: a run still going is younger) it deactivates, untags and
deletes, printing each step; anything outside the suite's folder, or under it without a run id of the
suite's format, is never touched. ``--dry-run`` prints what it would do and sends no write.

On AWS the same safety as a run: ``--allow-aws``, the account allow-list checked against STS before
anything else, the account id masked in what is printed unless ``--show-account``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from conformance.runner.config import ConfigError, config_from_options
from conformance.session.aws_guard import masked_account
from conformance.session.clients import make_clients
from conformance.session.ownership import SUITE_PATH, run_id_of_path, run_id_of_serial, run_started
from conformance.session.preflight import guard_account
from conformance.session.targets import EndpointError, open_endpoint

__all__ = ["add_sweep_command", "parse_duration", "sweep"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+)([smhd])")
_PAGE = 1000  # the model's largest MaxItems for both listings; reaches every page in few calls
_EXAMPLES = """examples:
  iam-conformance sweep --target aws --allow-aws --aws-account 123456789012 --dry-run
  iam-conformance sweep --target aws --allow-aws --aws-account 123456789012 --older-than 6h
  iam-conformance sweep --target url --endpoint-url http://127.0.0.1:4566 --older-than 0s

exit codes: 0 everything found was removed (or, with --dry-run, listed), 1 something could not be
removed (each one printed), 2 bad usage or an endpoint or account that cannot be used
"""


class SweepError(Exception):
    """Bad usage or an endpoint that cannot be used: one line, exit 2."""


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``6h``, ``2d`` (also joined: ``1h30m``)."""
    parts = _DURATION.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise argparse.ArgumentTypeError(f"invalid duration {text!r}: expected e.g. 30m, 6h, 2d or 1h30m")
    return timedelta(seconds=sum(int(number) * _UNITS[unit] for number, unit in parts))


def add_sweep_command(commands: Any) -> None:
    sweep_parser = commands.add_parser(
        "sweep",
        help="remove the users and devices that dead runs left under /iam-conformance/",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sweep_parser.add_argument("--target", default="aws", choices=("aws", "url"), help="default aws")
    sweep_parser.add_argument("--endpoint-url", help="the endpoint, with --target url")
    sweep_parser.add_argument("--region", default="us-east-1", help="the region to sign requests for")
    sweep_parser.add_argument("--allow-aws", action="store_true", help="explicit opt-in to touch real AWS")
    sweep_parser.add_argument(
        "--aws-account", dest="aws_accounts", action="append", metavar="ID", help="an account it may touch"
    )
    sweep_parser.add_argument("--show-account", action="store_true", help="print the account id unmasked")
    sweep_parser.add_argument(
        "--older-than", type=parse_duration, default=timedelta(hours=1), metavar="DURATION",
        help="only runs that started longer ago than this (default 1h)",
    )  # fmt: skip
    sweep_parser.add_argument(
        "--dry-run", action="store_true", help="print what would be removed; send no write"
    )
    sweep_parser.set_defaults(handler=_sweep_command)


def _sweep_command(args: argparse.Namespace) -> int:
    try:
        config = config_from_options(args)
        with open_endpoint(config) as endpoint:
            clients = make_clients(endpoint)
            guard_account(endpoint, clients, config)
            account = str(clients.sts.get_caller_identity().get("Account", ""))
            hide = config.target == "aws" and not config.show_account and bool(account)

            def shown(text: str) -> str:
                return text.replace(account, masked_account(account)) if hide else text

            report = sweep(clients.iam, older_than=args.older_than, dry_run=args.dry_run)
    except (ConfigError, EndpointError) as error:
        print(f"iam-conformance: error: {error}", file=sys.stderr)
        return 2
    except (ClientError, BotoCoreError) as error:
        print(f"iam-conformance: error: the sweep could not list what to remove: {error}", file=sys.stderr)
        return 2
    for line in report.lines:
        print(shown(line))
    for line in report.failures:
        print(shown(f"could not remove: {line}"), file=sys.stderr)
    what = "would remove" if args.dry_run else "removed"
    counts = f"{report.users} user(s) and {report.devices} device(s) of {len(report.runs)} run(s)"
    print(shown(f"sweep: {what} {counts}"))
    return 1 if report.failures else 0


@dataclass
class SweepReport:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    runs: set[str] = field(default_factory=set)
    users: int = 0
    devices: int = 0


def _pages(call: Callable[..., dict[str, Any]], member: str, **params: Any) -> Iterator[dict[str, Any]]:
    request = {**params, "MaxItems": _PAGE}
    while True:
        page = call(**request)
        yield from page.get(member, ())
        if not page.get("IsTruncated") or not page.get("Marker"):
            return
        request = {**params, "MaxItems": _PAGE, "Marker": page["Marker"]}


def sweep(iam: Any, *, older_than: timedelta, dry_run: bool, now: datetime | None = None) -> SweepReport:
    """Deactivate, untag and delete the suite's users and devices of runs older than ``older_than``."""
    cutoff = (now or datetime.now(UTC)) - older_than
    report = SweepReport()

    def dead(run_id: str | None) -> bool:
        started = run_started(run_id) if run_id else None
        return started is not None and started <= cutoff

    users = [
        user
        for user in _pages(iam.list_users, "Users", PathPrefix=SUITE_PATH)
        if dead(run_id_of_path(str(user.get("Path", ""))))
    ]
    devices = [
        entry
        for entry in _pages(iam.list_virtual_mfa_devices, "VirtualMFADevices", AssignmentStatus="Any")
        if dead(run_id_of_serial(str(entry.get("SerialNumber", ""))))
    ]
    for user in users:
        name = str(user["UserName"])
        report.runs.add(str(run_id_of_path(str(user["Path"]))))
        _delete_user(iam, name, report, dry_run)
        report.users += 1
    for entry in devices:
        serial = str(entry["SerialNumber"])
        report.runs.add(str(run_id_of_serial(serial)))
        holder = (entry.get("User") or {}).get("UserName")
        if holder and not any(user["UserName"] == holder for user in users):
            deactivate = partial(iam.deactivate_mfa_device, UserName=holder, SerialNumber=serial)
            _step(report, dry_run, f"deactivated {serial} (held by {holder})", deactivate)
        keys = _tag_keys(iam, serial, report)  # a read: also with --dry-run
        if keys:
            untag = partial(iam.untag_mfa_device, SerialNumber=serial, TagKeys=keys)
            _step(report, dry_run, f"untagged {serial} ({len(keys)} key(s))", untag)
        delete = partial(iam.delete_virtual_mfa_device, SerialNumber=serial)
        _step(report, dry_run, f"deleted device {serial}", delete)
        report.devices += 1
    return report


def _tag_keys(iam: Any, serial: str, report: SweepReport) -> list[str]:
    try:
        return [str(tag["Key"]) for tag in _pages(iam.list_mfa_device_tags, "Tags", SerialNumber=serial)]
    except (ClientError, BotoCoreError) as error:
        report.failures.append(f"the tags of {serial}: {error}")
        return []


def _delete_user(iam: Any, name: str, report: SweepReport, dry_run: bool) -> None:
    """Deactivate the user's MFA devices (each printed), then delete the user."""
    try:
        held = _pages(iam.list_mfa_devices, "MFADevices", UserName=name)
        serials = [str(entry["SerialNumber"]) for entry in held]
    except (ClientError, BotoCoreError) as error:
        report.failures.append(f"the MFA devices of user {name}: {error}")
        return
    for serial in serials:
        deactivate = partial(iam.deactivate_mfa_device, UserName=name, SerialNumber=serial)
        _step(report, dry_run, f"deactivated {serial} (held by {name})", deactivate)
    _step(report, dry_run, f"deleted user {name}", partial(iam.delete_user, UserName=name))


def _step(report: SweepReport, dry_run: bool, done: str, action: Callable[[], object]) -> None:
    """One write: printed when done (``would have`` with ``--dry-run``, which sends no write), or its
    failure with the endpoint's answer."""
    if dry_run:
        report.lines.append(f"would have {done}")
        return
    try:
        action()
    except (ClientError, BotoCoreError) as error:
        report.failures.append(f"{done}: {error}")
        return
    report.lines.append(done)
