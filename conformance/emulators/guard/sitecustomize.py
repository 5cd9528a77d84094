"""Loopback-only networking for a third-party emulator, from inside its own Python process.

Why: an emulator may reach out to the internet (LocalStack resolves its vendor's licence host the
first time an operation it does not emulate is called). The project's machines are loopback-only
and nothing may leave them, so every emulator runs with this folder first on ``PYTHONPATH``: Python
imports ``sitecustomize`` at start-up, before the emulator's own code, in the emulator and in every
Python process it starts (they inherit the environment).

What is refused (``OSError``, raised *before* the real call, so no packet and no DNS query is sent):
connecting, binding or sending a datagram to an address outside 127.0.0.0/8 and ::1, and every name
look-up except the loopback names, which are answered here without a look-up. Unix sockets are
allowed. Each refusal appends one line to the file named by ``IAM_EMULATOR_GUARD_LOG`` (when set):
``<unix time> pid=<pid> <call> <host>:<port>``.

Limits: only what goes through Python's ``socket`` module is seen, so ``uvloop`` (libuv's own
sockets and resolver) is made unimportable and its users fall back to asyncio; other C code that
opens sockets itself, and non-Python child processes, are not covered.

Standard library only (it runs under each emulator's own interpreter, 3.10 to 3.13).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import ipaddress
import os
import socket
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["LOG_ENV", "is_loopback_host"]

LOG_ENV = "IAM_EMULATOR_GUARD_LOG"
_LOOPBACK_NAMES = frozenset(
    {"localhost", "localhost.", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
)
# Not a look-up, and no remote host: allowed in getaddrinfo (a server asks for its wildcard address);
# binding or connecting to them is refused, as for any address outside loopback.
_UNSPECIFIED = frozenset({"", "0.0.0.0", "::"})
_BLOCKED_MODULES = frozenset({"uvloop"})
_INET = (socket.AF_INET, socket.AF_INET6)

# The real functions, looked up here at call time: the guard's own test replaces them with tripwires to
# show that a refused call never reaches them.
_REAL: dict[str, Callable[..., Any]] = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "bind": socket.socket.bind,
    "sendto": socket.socket.sendto,
    "sendmsg": socket.socket.sendmsg,
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
    "gethostbyaddr": socket.gethostbyaddr,
    "getnameinfo": socket.getnameinfo,
    "create_connection": socket.create_connection,
}


def _text(host: object) -> str:
    if isinstance(host, bytes | bytearray):
        return bytes(host).decode("idna", "replace")
    return str(host)


def _address(host: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(_text(host).strip("[]"))
    except ValueError:
        return None


def is_loopback_host(host: object) -> bool:
    """127.0.0.0/8, ::1 (also IPv4-mapped), or one of the loopback names: never looked up."""
    if _text(host).lower() in _LOOPBACK_NAMES:
        return True
    address = _address(host)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address is not None and address.is_loopback


def _record(call: str, host: object, port: object = None) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    target = _text(host) if port is None else f"{_text(host)}:{port}"
    line = f"{time.time():.3f} pid={os.getpid()} {call} {target}\n"
    try:
        # One write of one short line in append mode: lines from several processes do not interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        pass


def _refuse(call: str, host: object, port: object = None, *, lookup: bool = False) -> OSError:
    _record(call, host, port)
    target = _text(host) if port is None else f"{_text(host)}:{port}"
    message = f"loopback guard: refused {call} {target}"
    if lookup:  # what a failed look-up raises, so that callers handle it as one
        return socket.gaierror(socket.EAI_NONAME, message)
    return OSError(101, message)  # ENETUNREACH: what a client expects of an unreachable host


def _loopback_literal(host: object, family: int) -> object:
    """A loopback name as the address it stands for (so the C library never looks it up)."""
    if _text(host).lower() in _LOOPBACK_NAMES:
        return "::1" if family == socket.AF_INET6 else "127.0.0.1"
    return host


def _checked(call: str, sock: socket.socket, address: Any) -> Any:
    """The address to pass on, or raise when it leaves the machine. Unix and netlink sockets pass."""
    if sock.family not in _INET:
        return address
    if not isinstance(address, tuple) or not address:
        raise _refuse(call, address)
    host, rest = address[0], address[1:]
    if not is_loopback_host(host):
        raise _refuse(call, host, rest[0] if rest else None)
    return (_loopback_literal(host, sock.family), *rest)


def _connect(self: socket.socket, address: Any) -> None:
    return _REAL["connect"](self, _checked("connect", self, address))  # type: ignore[no-any-return]


def _connect_ex(self: socket.socket, address: Any) -> int:
    return _REAL["connect_ex"](self, _checked("connect_ex", self, address))  # type: ignore[no-any-return]


def _bind(self: socket.socket, address: Any) -> None:
    return _REAL["bind"](self, _checked("bind", self, address))  # type: ignore[no-any-return]


def _sendto(self: socket.socket, data: Any, *args: Any) -> int:
    if args:  # sendto(data, address) or sendto(data, flags, address)
        args = (*args[:-1], _checked("sendto", self, args[-1]))
    return _REAL["sendto"](self, data, *args)  # type: ignore[no-any-return]


def _sendmsg(self: socket.socket, buffers: Any, *args: Any) -> int:
    if len(args) >= 3 and args[2] is not None:  # sendmsg(buffers, ancdata, flags, address)
        args = (*args[:2], _checked("sendmsg", self, args[2]), *args[3:])
    return _REAL["sendmsg"](self, buffers, *args)  # type: ignore[no-any-return]


def _name_allowed(host: object) -> bool:
    return host is None or _text(host) in _UNSPECIFIED or is_loopback_host(host)


def _getaddrinfo(host: Any, port: Any, family: int = 0, *args: Any, **kwargs: Any) -> Any:
    if not _name_allowed(host):
        raise _refuse("getaddrinfo", host, port, lookup=True)
    if host is not None and _text(host).lower() in _LOOPBACK_NAMES:
        literals = ["::1"] if family == socket.AF_INET6 else ["127.0.0.1"]
        if family in (0, socket.AF_UNSPEC):
            literals.append("::1")
        answers: list[Any] = []
        for literal in literals:
            with contextlib.suppress(socket.gaierror):  # ::1 where IPv6 is off
                answers += _REAL["getaddrinfo"](literal, port, family, *args, **kwargs)
        if answers:
            return answers
    return _REAL["getaddrinfo"](host, port, family, *args, **kwargs)


def _gethostbyname(host: Any) -> str:
    if not is_loopback_host(host):
        raise _refuse("gethostbyname", host, lookup=True)
    return str(_loopback_literal(host, socket.AF_INET))


def _gethostbyname_ex(host: Any) -> tuple[str, list[str], list[str]]:
    if not is_loopback_host(host):
        raise _refuse("gethostbyname_ex", host, lookup=True)
    return ("localhost", [], [str(_loopback_literal(host, socket.AF_INET))])


def _gethostbyaddr(host: Any) -> tuple[str, list[str], list[str]]:
    if not is_loopback_host(host):
        raise _refuse("gethostbyaddr", host, lookup=True)
    return ("localhost", [], [str(_loopback_literal(host, socket.AF_INET))])


def _getnameinfo(sockaddr: Any, flags: int) -> tuple[str, str]:
    host = sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else sockaddr
    numeric = flags & socket.NI_NUMERICHOST and _address(host) is not None
    if not (numeric or is_loopback_host(host)):
        raise _refuse("getnameinfo", host, lookup=True)
    return _REAL["getnameinfo"](sockaddr, flags)  # type: ignore[no-any-return]


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    host, port = address[0], address[1]
    if not is_loopback_host(host):
        raise _refuse("create_connection", host, port)
    return _REAL["create_connection"]((_loopback_literal(host, socket.AF_INET), port), *args, **kwargs)  # type: ignore[no-any-return]


class _Blocker(importlib.abc.MetaPathFinder):
    """Makes uvloop unimportable: its sockets and resolver are libuv's, out of this guard's sight."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> None:
        if fullname.partition(".")[0] in _BLOCKED_MODULES:
            raise ImportError(f"loopback guard: {fullname} is disabled (its sockets bypass the guard)")
        return None


def _install() -> None:
    for name, function in (
        ("connect", _connect),
        ("connect_ex", _connect_ex),
        ("bind", _bind),
        ("sendto", _sendto),
        ("sendmsg", _sendmsg),
    ):
        setattr(socket.socket, name, function)
    socket.getaddrinfo = _getaddrinfo
    socket.gethostbyname = _gethostbyname
    socket.gethostbyname_ex = _gethostbyname_ex
    socket.gethostbyaddr = _gethostbyaddr
    socket.getnameinfo = _getnameinfo
    socket.create_connection = _create_connection
    sys.meta_path.insert(0, _Blocker())
    socket._loopback_guard = True  # type: ignore[attr-defined]  # for a check that the guard is active


if not getattr(socket, "_loopback_guard", False):
    _install()
