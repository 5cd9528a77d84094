"""``iam-conformance policy``: the IAM policy a run (and the sweeper) needs, and no more.

Why printed by the suite: a team gives the role that runs the suite exactly this document, so a run can
touch nothing but its own folder, whatever it sends. The operations are the model's in-scope ones
(`strategies.model.IN_SCOPE_OPERATIONS`) and the few the suite uses around them (`SUPPORT_OPERATIONS`);
`tests/test_aws_simulated.py` compares them with the operations a whole run and a sweep really send, so
the list cannot drift from the code. Which of them can be limited to resources is read from the model
too: an operation whose input names no device and no user (only paging and filters) lists the whole
account, and IAM authorises such a listing on ``*`` only.

Resources: the suite's folder for devices and users (``mfa/iam-conformance/*``, ``user/iam-conformance/*``),
and users named ``vmfa-conformance-*`` at any path: the unknown-entity checks name a user that does not
exist, which IAM can only evaluate by its name.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from conformance.session.ownership import SUITE_PATH
from strategies.model import IN_SCOPE_OPERATIONS, botocore_session, operation_shape

__all__ = [
    "STS_OPERATIONS",
    "SUPPORT_OPERATIONS",
    "add_policy_command",
    "policy_document",
    "policy_operations",
]

# What the suite calls besides the in-scope operations, and why.
SUPPORT_OPERATIONS = {
    "CreateUser": "users of the run's own, to enable devices for",
    "DeleteUser": "... deleted again",
    "ListAccountAliases": "the QR label may name the account by its alias",
    "ListUsers": "the sweeper finds the users dead runs left (PathPrefix /iam-conformance/)",
}
STS_OPERATIONS = ("GetCallerIdentity",)  # whose credentials: checked against --aws-account first
_RESOURCE_MEMBERS = frozenset({"SerialNumber", "UserName", "VirtualMFADeviceName"})
_USER_PROBES = "vmfa-conformance-*"


def policy_operations() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(operations limited to the suite's resources, operations that list the account), sorted."""
    scoped: list[str] = []
    listings: list[str] = []
    for operation in sorted({*IN_SCOPE_OPERATIONS, *SUPPORT_OPERATIONS}):
        members = set(operation_shape(operation).members)
        (scoped if members & _RESOURCE_MEMBERS else listings).append(operation)
    return tuple(scoped), tuple(listings)


def policy_document(account: str | None = None, region: str = "us-east-1") -> dict[str, Any]:
    partition = botocore_session().get_partition_for_region(region)
    arn = f"arn:{partition}:iam::{account or '*'}"
    scoped, listings = policy_operations()
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "IamConformanceOwnResources",
                "Effect": "Allow",
                "Action": [f"iam:{operation}" for operation in scoped],
                "Resource": [
                    f"{arn}:mfa{SUITE_PATH}*",
                    f"{arn}:user{SUITE_PATH}*",
                    f"{arn}:user/{_USER_PROBES}",
                ],
            },
            {
                "Sid": "IamConformanceListings",
                "Effect": "Allow",
                "Action": [f"iam:{operation}" for operation in listings],
                "Resource": "*",
            },
            {
                "Sid": "IamConformanceWhoAmI",
                "Effect": "Allow",
                "Action": [f"sts:{operation}" for operation in STS_OPERATIONS],
                "Resource": "*",
            },
        ],
    }


def add_policy_command(commands: Any) -> None:
    policy = commands.add_parser(
        "policy",
        help="print the IAM policy a run against AWS needs (resources limited to the suite's folder)",
    )
    policy.add_argument("--account", metavar="ID", help="the account id to put in the ARNs (default *)")
    policy.add_argument("--region", default="us-east-1", help="decides the ARN partition")
    policy.set_defaults(handler=_policy_command)


def _policy_command(args: argparse.Namespace) -> int:
    from conformance.runner.cli_reports import CommandError

    if args.account is not None and not (len(args.account) == 12 and args.account.isdigit()):
        raise CommandError(f"invalid AWS account id {args.account!r}: expected 12 digits")
    print(json.dumps(policy_document(args.account, args.region), indent=2))
    return 0
