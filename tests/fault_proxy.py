"""A loopback proxy that injects network and server faults in front of an endpoint, for the suite's tests.

The reference endpoint behind it stays conformant; the proxy adds, on a share of the requests drawn from a
seed, one kind of fault as a flaky network or an overloaded front end would:

| kind | what the client gets | performed? |
| --- | --- | --- |
| ``500-before`` | ``500 InternalFailure`` (an AWS error document), the request never forwarded | no |
| ``500-after`` | the same 500, after the endpoint answered | yes |
| ``reset-after`` | the connection reset (RST) after the endpoint answered | yes |
| ``stall`` | no answer until well past the client's read timeout, then the connection closed | yes |
| ``garbled`` | the endpoint's answer with its body cut short, or 8 of its bytes zeroed | yes |
| ``throttle`` | ``400 Throttling`` "Rate exceeded", the request never forwarded | no |

A garbled body is one an XML parser refuses (cut short, or holding NUL bytes, which XML forbids): a
corruption that leaves a well-formed document with other text in it cannot be told from an answer by
any client (the protocol has no checksum; TCP and TLS keep it from happening), so it is not injected.

The first ``spare`` requests are never faulted: the run's preflight (a run whose endpoint check fails
stops before it starts, with one line, which is not what these tests are about). Every injected fault is
recorded (``injected``: the kind and the request's Action), so that a test can name them.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["FAULT_KINDS", "FaultProxy"]

FAULT_KINDS = ("500-before", "500-after", "reset-after", "stall", "garbled", "throttle")
_INTERNAL_FAILURE = (
    b'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Receiver</Type>'
    b"<Code>InternalFailure</Code><Message>injected by the fault proxy</Message></Error>"
    b"<RequestId>00000000-0000-0000-0000-000000000500</RequestId></ErrorResponse>"
)
_THROTTLING = (
    b'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
    b"<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
    b"<RequestId>00000000-0000-0000-0000-000000000400</RequestId></ErrorResponse>"
)


class FaultProxy:
    """``with FaultProxy(upstream_url, "500-after", rate=0.05) as proxy: ... proxy.url ...``"""

    def __init__(
        self,
        upstream: str,
        kind: str | None,
        *,
        rate: float = 0.05,
        seed: int = 0,
        stall_s: float = 3.0,
        spare: int = 4,
    ) -> None:
        if kind is not None and kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.kind, self.rate, self.stall_s, self.spare = kind, rate, stall_s, spare
        self.injected: Counter[tuple[str, str]] = Counter()  # (kind, Action) -> how many
        self.requests = 0
        self._draws = random.Random(seed)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "use the proxy as a context manager"
        return f"http://127.0.0.1:{self._server.server_port}"

    def fault_for(self, action: str) -> str | None:
        """The fault this request gets (None: forwarded as it is); drawn in arrival order."""
        with self._lock:
            self.requests += 1
            if self.kind is None or self.requests <= self.spare or self._draws.random() >= self.rate:
                return None
            self.injected[(self.kind, action)] += 1
            return self.kind

    def garble(self, body: bytes) -> bytes:
        with self._lock:
            cut = self._draws.random() < 0.5
            where = int(self._draws.random() * len(body)) if body else 0
        if cut:
            return body[:where]
        return body[:where] + b"\x00" * 8 + body[where + 8 :]  # bytes no XML document may hold

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any, bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def __enter__(self) -> FaultProxy:
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02})
        self._thread.daemon = True
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # a client that gave up on a stalled answer: nothing to report


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # answers hold seeds: nothing is logged
        return None

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # a reset connection cannot be flushed
            super().finish()

    def do_GET(self) -> None:
        self._relay(b"")

    def do_POST(self) -> None:
        self._relay(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _relay(self, body: bytes) -> None:
        proxy = self.owner
        form = parse_qs(body.decode("utf-8", "replace")) if body else parse_qs(urlsplit(self.path).query)
        fault = proxy.fault_for((form.get("Action") or [""])[0])
        if fault == "500-before":
            return self._answer(500, [("Content-Type", "text/xml")], _INTERNAL_FAILURE)
        if fault == "throttle":
            return self._answer(400, [("Content-Type", "text/xml")], _THROTTLING)
        headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
        status, answer_headers, answer = proxy.forward(self.command, self.path, headers, body)
        if fault == "500-after":
            return self._answer(500, [("Content-Type", "text/xml")], _INTERNAL_FAILURE)
        if fault == "reset-after":
            return self._reset()
        if fault == "stall":
            time.sleep(proxy.stall_s)
            return self._reset()
        if fault == "garbled":
            answer = proxy.garble(answer)
        kept = [(name, value) for name, value in answer_headers if name.lower() not in _HOP_HEADERS]
        self._answer(status, kept, answer)

    def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _reset(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER 0), the answer never sent."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


_HOP_HEADERS = {"content-length", "connection", "transfer-encoding", "keep-alive", "date", "server"}
