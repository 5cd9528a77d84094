"""The reference endpoint as a context manager: a quiet threaded werkzeug server on loopback.

Binding 127.0.0.1 port 0 lets the OS pick a free port, so tests can run many endpoints side by side;
nothing is reachable from outside the machine. Request logging is switched off because the responses
carry MFA seeds and the test output must never show them.
"""

from __future__ import annotations

import functools
import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import ReferenceApp
from .mutants import rules_for
from .noise import Noise

__all__ = ["ReferenceEndpoint"]

_POLL_SECONDS = 0.02


class _QuietHandler(WSGIRequestHandler):
    """No access log lines (werkzeug writes one per request by default)."""

    def log(self, type: str, message: str, *args: Any) -> None:
        return None


class ReferenceEndpoint:
    """A conformant IAM virtual-MFA endpoint (or one mutant of it), with optional noise, on ``self.url``.

    >>> with ReferenceEndpoint(noise=Noise(latency_ms=30)) as ep:  # doctest: +SKIP
    ...     boto3.client("iam", endpoint_url=ep.url, ...)
    """

    def __init__(
        self, mutant: str | None = None, account_id: str = "123456789012", noise: Noise | None = None
    ) -> None:
        self.mutant = mutant
        self.account_id = account_id
        self.noise = noise or Noise()
        # rules_for raises ValueError for an unknown mutant
        self.app = ReferenceApp(account_id, rules_for(mutant), self.noise)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the endpoint is not running; use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> ReferenceEndpoint:
        if self._server is not None:
            raise RuntimeError("the endpoint is already running")
        server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=_QuietHandler)
        self._server = server
        name = f"reference-endpoint-{server.server_port}"
        # A short poll interval keeps stop() (which waits for the next poll) in the milliseconds.
        serve = functools.partial(server.serve_forever, poll_interval=_POLL_SECONDS)
        self._thread = threading.Thread(target=serve, name=name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> ReferenceEndpoint:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
