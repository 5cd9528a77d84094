"""One frozen `RunConfig`, built once from the ``--iam-*`` options and validated before any request.

The pytest options and the ``iam-conformance`` CLI share this module, so both reject the same bad
input with the same one-line message (a `ConfigError`, which the plugin turns into a
``pytest.UsageError`` and the CLI into exit code 2).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from conformance.session.devices import Identity

__all__ = [
    "ALLOW_AWS_ENV",
    "AWS_ACCOUNT_ENV",
    "PROFILES",
    "TARGETS",
    "ConfigError",
    "RunConfig",
    "config_from_options",
]

TARGETS = ("moto-server", "moto", "url", "aws")
PROFILES = ("quick", "default", "thorough", "aws")
DEFAULT_REGION = "us-east-1"
ALLOW_AWS_ENV = "IAM_CONFORMANCE_ALLOW_AWS"  # the explicit opt-in for real AWS, besides the flag
AWS_ACCOUNT_ENV = "IAM_CONFORMANCE_AWS_ACCOUNT"  # the accounts a run may touch, comma-separated
_ACCOUNT_DIGITS = 12
MAX_PATIENCE = 300.0
_MAX_LABEL = 80
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ConfigError(ValueError):
    """Bad configuration, reported as one line before anything is sent."""


@dataclass(frozen=True)
class RunConfig:
    target: str = "moto-server"
    endpoint_url: str | None = None
    region: str = DEFAULT_REGION
    profile: str | None = None  # None: "aws" on the aws target, else "default"
    report_dir: Path | None = None
    allow_aws: bool = False
    patience: float | None = None  # seconds a read may be polled to reflect a write; None: by target
    label: str | None = None  # what reports call the target ("LocalStack 2026.3.0"); None: found out
    # AWS safety (`conformance.session.aws_guard`): the accounts a run may touch (checked against STS
    # before the first write; empty: the environment's), paths outside the run's prefix, the account
    # id shown in reports, and a bound on the calls a run sends.
    aws_accounts: tuple[str, ...] = ()
    allow_root_path: bool = False
    show_account: bool = False
    max_calls: int | None = None
    # A worker of --workers: who the run is on the endpoint, as the controller found when it checked the
    # endpoint a moment before (no option sets it): the worker neither checks it nor asks again.
    checked_identity: Identity | None = None

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ConfigError(f"unknown target {self.target!r}; choose one of: {', '.join(TARGETS)}")
        if self.profile is None:
            object.__setattr__(self, "profile", "aws" if self.target == "aws" else "default")
        if self.profile not in PROFILES:
            raise ConfigError(f"unknown profile {self.profile!r}; choose one of: {', '.join(PROFILES)}")
        if self.is_local and importlib.util.find_spec("moto") is None:
            raise ConfigError(
                f"--target {self.target} needs moto, which is not installed: "
                "pip install 'iam-conformance[moto]' (or use --target url or aws)"
            )
        if self.target == "url":
            _check_url(self.endpoint_url)
            # Credentials in the URL are never sent (requests are signed) and never shown: dropped here,
            # before the URL reaches a report, a log or a reproduction.
            object.__setattr__(self, "endpoint_url", _without_credentials(str(self.endpoint_url)))
        elif self.endpoint_url is not None:
            raise ConfigError(f"--endpoint-url goes with --target url, not with --target {self.target}")
        if self.target == "aws" and not (self.allow_aws or os.environ.get(ALLOW_AWS_ENV) == "1"):
            raise ConfigError(
                "refusing to touch real AWS without an explicit opt-in: it creates and deletes real "
                f"IAM resources in your account; add --allow-aws (or set {ALLOW_AWS_ENV}=1) to proceed"
            )
        self._check_aws_safety()
        if self.label is not None and not (0 < len(self.label) <= _MAX_LABEL and self.label.isprintable()):
            raise ConfigError(f"invalid label {self.label!r}: 1 to {_MAX_LABEL} printable characters")
        if not self.region or not self.region.replace("-", "").isalnum():
            raise ConfigError(f"invalid region {self.region!r}")
        if self.patience is not None and not 0 <= self.patience <= MAX_PATIENCE:
            raise ConfigError(f"invalid patience {self.patience!r}: expected 0 to {MAX_PATIENCE:g} seconds")

    def _check_aws_safety(self) -> None:
        accounts = self.aws_accounts
        if not accounts and self.target == "aws":
            listed = os.environ.get(AWS_ACCOUNT_ENV, "").split(",")
            accounts = tuple(part.strip() for part in listed if part.strip())
        for account in accounts:
            if not (len(account) == _ACCOUNT_DIGITS and account.isdigit()):
                raise ConfigError(f"invalid AWS account id {account!r}: expected {_ACCOUNT_DIGITS} digits")
        object.__setattr__(self, "aws_accounts", accounts)
        if self.target == "aws" and not accounts:
            raise ConfigError(
                "--target aws needs the account it may touch: --aws-account ID (or "
                f"{AWS_ACCOUNT_ENV}=ID); the run checks it against STS before its first write"
            )
        if self.max_calls is not None and self.max_calls < 1:
            raise ConfigError(f"invalid --max-calls {self.max_calls}: expected a positive number")

    @property
    def is_local(self) -> bool:
        """The embedded targets, started by the suite itself."""
        return self.target in ("moto-server", "moto")

    @property
    def read_patience(self) -> float:
        """How long a read that must reflect a write may be polled (IAM is eventually consistent).

        None on the embedded targets and on a URL on this machine; some on a remote URL; most on AWS.
        """
        if self.patience is not None:
            return self.patience
        if self.target == "aws":
            return 10.0
        if self.target == "url" and urlsplit(self.endpoint_url or "").hostname not in _LOOPBACK:
            return 5.0
        return 0.0


def config_from_options(options: object, prefix: str = "") -> RunConfig:
    """The `RunConfig` of parsed options named as its fields after ``prefix`` (``--endpoint-url`` is
    ``endpoint_url``; the plugin's ``--iam-endpoint-url`` is ``iam_endpoint_url``), validated.

    One builder for the command's ``run`` and ``sweep`` and the plugin, so that an option means the same
    everywhere. A field a command has no option for keeps its default (``sweep`` has no ``--profile``).
    """
    values = {
        field.name: getattr(options, prefix + field.name)
        for field in fields(RunConfig)
        if hasattr(options, prefix + field.name)
    }
    if "aws_accounts" in values:  # a repeatable option: None when not given
        values["aws_accounts"] = tuple(values["aws_accounts"] or ())
    if "report_dir" in values:  # the plugin's is text, the command's a Path; empty: no report
        values["report_dir"] = Path(values["report_dir"]) if values["report_dir"] else None
    return RunConfig(**values)


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))


def _check_url(url: str | None) -> None:
    if not url:
        raise ConfigError("--target url needs --endpoint-url URL (for example http://127.0.0.1:4566)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"invalid endpoint URL {url!r}: expected http(s)://host[:port]")
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ConfigError(f"invalid endpoint URL {url!r}: bad port") from None
