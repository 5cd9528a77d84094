"""Endpoint targets: where the suite sends its requests.

- ``moto-server`` (default): moto's threaded server, started on a free loopback port for the run.
- ``moto``: moto's in-process ``mock_aws``, no network at all.
- ``url``: any IAM endpoint, e.g. LocalStack or another emulator.
- ``aws``: real AWS with the default credential chain; the run's configuration refuses it without an
  opt-in.

Local and emulated targets get fixed dummy credentials, never the user's own. What this layer needs of
the run's configuration is `EndpointSettings`, a protocol the configuration (`conformance.runner.config`)
satisfies: the session never imports the layers above it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Protocol

__all__ = ["Endpoint", "EndpointError", "EndpointSettings", "moto_server", "open_endpoint"]

_DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class EndpointError(Exception):
    """The endpoint cannot be used: down, not IAM, or refusing our credentials. One line."""


class EndpointSettings(Protocol):
    """Where the run sends its requests, and how long a read may be polled to reflect a write."""

    @property
    def target(self) -> str: ...
    @property
    def endpoint_url(self) -> str | None: ...
    @property
    def region(self) -> str: ...
    @property
    def is_local(self) -> bool: ...
    @property
    def read_patience(self) -> float: ...
    @property
    def checked_identity(self) -> object: ...  # a worker's: the `Identity` its controller found, else None


@dataclass(frozen=True)
class Endpoint:
    target: str
    url: str | None  # None: boto3's default endpoint (real AWS, or moto's in-process mock)
    region: str
    credentials: dict[str, str] = field(default_factory=dict)  # empty: botocore's default chain
    version: str | None = None


@contextlib.contextmanager
def open_endpoint(config: EndpointSettings) -> Iterator[Endpoint]:
    if config.target == "moto-server":
        with moto_server() as url:
            yield Endpoint("moto-server", url, config.region, _DUMMY_CREDENTIALS, _version("moto"))
    elif config.target == "moto":
        with _moto_in_process():
            yield Endpoint("moto", None, config.region, _DUMMY_CREDENTIALS, _version("moto"))
    elif config.target == "url":
        yield Endpoint("url", config.endpoint_url, config.region, _DUMMY_CREDENTIALS)
    else:
        yield Endpoint("aws", None, config.region)


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto's threaded server on a free loopback port, its URL; stopped, socket closed, at the end.
    The ``moto-server`` target, and the benchmark's floor (`tests.benchmark`), which must time the
    same server the suite meets."""
    from moto.server import ThreadedMotoServer

    # The server's per-request lines, and the tracebacks of its own crashes (which the report records
    # as what they are to a client: a 500 answer), go to the "werkzeug" logger: the terminal stays quiet.
    logging.getLogger("werkzeug").disabled = True
    # Port 0: the operating system picks a free port, with no window for another process to take it.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        wsgi_server = getattr(server, "_server", None)  # stop() shuts the loop down but keeps the socket
        if wsgi_server is not None:
            wsgi_server.server_close()


@contextlib.contextmanager
def _moto_in_process() -> Iterator[None]:
    from moto import mock_aws

    with mock_aws():
        yield
