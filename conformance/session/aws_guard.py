"""Refuse the wrong AWS account before the first write.

Why: the ``aws`` target uses boto3's default credential chain, and whatever it finds (a profile left in
the environment, an instance role) decides the account the run creates and deletes in. So the run is
given the accounts it may touch (``--aws-account``, or ``IAM_CONFORMANCE_AWS_ACCOUNT``), and STS
GetCallerIdentity, a call that needs no permission and writes nothing, says whose credentials they are
before anything else is sent. A mismatch, the account's root user (never a CI identity: it cannot be
limited by a policy) or no credentials at all is one line (`EndpointError`), and nothing was written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from botocore.parsers import ResponseParserError

from conformance.session.targets import EndpointError

__all__ = ["check_account", "masked_account", "shown_account"]


def masked_account(account: str) -> str:
    """An account id's redacted form in reports: enough to tell two accounts apart, nothing to publish."""
    return f"<account sha256:{hashlib.sha256(account.encode()).hexdigest()[:8]}>"


def shown_account(account: str) -> str:
    """An account id as a refusal shows it on the terminal: its last four digits."""
    return f"********{account[-4:]}" if len(account) > 4 else "****"


def check_account(sts: Any, allowed: Collection[str]) -> str:
    """The caller's account, if it is one of ``allowed`` and the caller is not the root user; else
    `EndpointError` (one line). ``sts`` is a boto3 STS client."""
    try:
        identity = sts.get_caller_identity()
    except NoCredentialsError:
        raise EndpointError("no AWS credentials found: configure a profile or AWS_* variables") from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "") or "refused"
        raise EndpointError(f"STS GetCallerIdentity refused the credentials ({code})") from None
    except (BotoCoreError, ResponseParserError) as error:
        raise EndpointError(f"cannot ask STS whose credentials these are: {error}") from None
    account, arn = str(identity.get("Account", "")), str(identity.get("Arn", ""))
    if arn.endswith(":root"):
        raise EndpointError(
            "refusing to run with the account's root user credentials: use an IAM user or role limited "
            "by the policy `iam-conformance policy` prints"
        )
    if account not in allowed:
        listed = ", ".join(shown_account(item) for item in sorted(allowed))
        raise EndpointError(
            f"the credentials are for account {shown_account(account)}, not one the run may touch "
            f"(--aws-account: {listed}): nothing was sent to it"
        )
    return account
