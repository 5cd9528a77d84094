"""Before the first test: does the endpoint answer as IAM, with our credentials, and who are we there?

A wrong URL, a server that is down or rejected credentials end the run with one clear line
(`EndpointError`) before any test runs.
"""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from conformance.session.aws_guard import check_account
from conformance.session.clients import Clients, make_clients
from conformance.session.devices import Identity
from conformance.session.targets import Endpoint, EndpointError, EndpointSettings, open_endpoint
from strategies.model import botocore_session

__all__ = ["check_endpoint", "guard_account", "identity_of", "preflight"]

_CREDENTIAL_ERRORS = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "ExpiredToken",
        "AccessDenied",
        "AccessDeniedException",
        "InvalidAccessKeyId",
    }
)


def preflight(settings: EndpointSettings) -> int:
    """Check an endpoint the suite does not start itself; raise `EndpointError` if it is unusable.
    Returns the number of requests sent (the report counts every request)."""
    if settings.is_local:
        return 0
    with open_endpoint(settings) as endpoint:
        clients = make_clients(endpoint)
        try:
            guard_account(endpoint, clients, settings)
            check_endpoint(endpoint, clients)
        finally:
            sent = clients.counter.requests
    return sent


def guard_account(endpoint: Endpoint, clients: Clients, settings: EndpointSettings) -> None:
    """On AWS, before anything else: are these credentials for an account the run may touch?"""
    if endpoint.target == "aws":
        check_account(clients.sts, getattr(settings, "aws_accounts", ()))


def check_endpoint(endpoint: Endpoint, clients: Clients) -> None:
    """One cheap read: does the endpoint answer as IAM, with our credentials?"""
    where = endpoint.url or f"AWS ({endpoint.region})"
    try:
        answer = clients.iam.list_virtual_mfa_devices(MaxItems=1)
    except (ResponseParserError, KeyError, ValueError):
        # botocore could not read the body as an IAM answer (an HTML page, an empty body, another XML).
        raise EndpointError(
            f"the endpoint at {where} does not answer as IAM (ListVirtualMFADevices gave HTTP "
            f"{clients.status.last} with a body that is not an IAM answer)"
        ) from None
    except EndpointConnectionError:
        raise EndpointError(f"cannot connect to the IAM endpoint at {where}: is it running?") from None
    except (ConnectTimeoutError, ReadTimeoutError):
        raise EndpointError(f"the IAM endpoint at {where} did not answer in time") from None
    except NoCredentialsError:
        raise EndpointError("no AWS credentials found: configure a profile or AWS_* variables") from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        if code in _CREDENTIAL_ERRORS:
            raise EndpointError(
                f"the endpoint at {where} rejected the credentials: {code}: {message}"
            ) from None
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        raise EndpointError(
            f"the endpoint at {where} does not answer as IAM (ListVirtualMFADevices gave HTTP {status}"
            f"{', ' + code if code else ''})"
        ) from None
    except BotoCoreError as error:
        raise EndpointError(f"cannot use the IAM endpoint at {where}: {error}") from None
    if not isinstance(answer.get("VirtualMFADevices"), list):
        raise EndpointError(
            f"the endpoint at {where} does not answer as IAM (no VirtualMFADevices in its answer)"
        )


def identity_of(endpoint: Endpoint, clients: Clients) -> Identity:
    """The caller's account (STS) and the account's aliases; an endpoint without them gives None, ()."""
    partition = botocore_session().get_partition_for_region(endpoint.region)
    try:
        account_id = str(clients.sts.get_caller_identity()["Account"])
    except (ClientError, BotoCoreError, ResponseParserError, KeyError, ValueError):
        account_id = None  # the endpoint offers no STS: checks then accept any 12-digit account
    try:
        aliases = tuple(str(alias) for alias in clients.iam.list_account_aliases().get("AccountAliases", ()))
    except (ClientError, BotoCoreError, ResponseParserError, KeyError, ValueError):
        aliases = ()
    return Identity(account_id=account_id, partition=partition, account_aliases=aliases)
