"""The emulator plumbing, offline: a fake emulator (a small http.server script) started with the same
machinery as the real ones, and the network guard in a subprocess of its own.

No emulator is installed and nothing leaves the machine: every refused call is made with the guard's
real functions replaced by tripwires, so a guard that let one through would fail the test, not send a
packet.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.emulators import Launch, Recipe, RecipeError, installation, procs, started, venvs
from conformance.emulators import cli as emulators_cli
from conformance.emulators.process import GUARD_DIR, GUARD_LOG_ENV, http_get
from conformance.emulators.recipes import RECIPES, pyenv_python

# The fake emulator. Its /health says what it saw: whether the guard refused its attempts to leave the
# machine (made with tripwires in place of the real calls), its working directory and environment, and
# the children it started (one in its group, one in a session of its own).
FAKE_EMULATOR = r"""
import http.server, json, os, signal, socket, subprocess, sys
import sitecustomize as guard

mode, port = os.environ.get("FAKE_MODE", "serve"), int(sys.argv[1])
print("fake emulator: starting", flush=True)
if mode == "die":
    print("fake emulator: boom, cannot start", flush=True)
    sys.exit(3)
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

def tripwire(*args, **kwargs):
    raise AssertionError("the guard let a call through")

real, attempts = dict(guard._REAL), {}
guard._REAL.update({name: tripwire for name in real})
for name, attempt in (
    ("connect", lambda: socket.create_connection(("10.255.255.1", 443), timeout=1)),
    ("lookup", lambda: socket.getaddrinfo("example.com", 443)),
):
    try:
        attempt()
        attempts[name] = "allowed"
    except OSError as error:
        attempts[name] = str(error)
guard._REAL.update(real)

sleeper = [sys.executable, "-c", "import time; time.sleep(600)"]
children = [subprocess.Popen(sleeper).pid, subprocess.Popen(sleeper, start_new_session=True).pid]
print("fake emulator: pids", os.getpid(), *children, flush=True)
seen = {
    "version": "9.9.9-fake",
    "attempts": attempts,
    "children": children,
    "cwd": os.getcwd(),
    "files": os.listdir("."),
    "tmpdir": os.environ["TMPDIR"],
    "env": {key: value for key, value in os.environ.items() if key.startswith("AWS_")},
}

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status = 503 if mode == "unhealthy" else 200
        body = json.dumps(seen).encode() if self.path == "/health" else b"not json"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def _json_version(body: bytes) -> str | None:
    try:
        found = json.loads(body)["version"]
    except (ValueError, KeyError, TypeError):
        return None
    return found if isinstance(found, str) else None


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "fake_emulator.py"
    path.write_text(FAKE_EMULATOR)
    return path


def _fake(script: Path, mode: str = "serve", version_path: str | None = "/health", **changes: Any) -> Recipe:
    settings: dict[str, Any] = {
        "name": "fake",
        "product": "Fake",
        "version": "1.0.0",
        "requirements": (),  # nothing to install: it runs under this interpreter
        "python": lambda: Path(sys.executable),
        "command": lambda launch: [str(launch.python), str(script), str(launch.port)],
        "environment": lambda launch: {"FAKE_MODE": mode},
        "health_path": "/health",
        "start_timeout": 15,
        "stop_grace": 5,
        "version_path": version_path,
        "version_from": _json_version,
    }
    return Recipe(**(settings | changes))


def _health(url: str) -> dict[str, Any]:
    answer = http_get(url + "/health", timeout=5)
    assert answer is not None and answer[0] == 200
    loaded: dict[str, Any] = json.loads(answer[1])
    return loaded


def _assert_all_gone(*pids: int) -> None:
    deadline = time.monotonic() + 5  # a killed process is gone once its parent (or init) reaps it
    while time.monotonic() < deadline:
        table = procs.process_table()
        if not [pid for pid in pids if pid in table and table[pid].running]:
            return
        time.sleep(0.05)
    raise AssertionError(f"still running: {[pid for pid in pids if pid in procs.process_table()]}")


# --- started(): the machinery, with a fake emulator --------------------------------------------------


def test_started_serves_on_loopback_behind_the_guard_and_stops_by_pid(
    script: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "someones-real-profile")  # must not reach the emulator
    with started(_fake(script), run_dir=tmp_path / "run") as running:
        seen = _health(running.url)
        assert running.url.startswith("http://127.0.0.1:")
        assert (running.product, running.version, running.version_source) == (
            "Fake",
            "9.9.9-fake",
            "GET /health",
        )
        assert running.pid > 0 and procs.process_table()[running.pid].pgrp == running.pid  # its own group
        assert Path(seen["cwd"]) == tmp_path / "run" / "data" and seen["files"] == ["tmp"]  # empty at start
        assert seen["tmpdir"] == str(tmp_path / "run" / "data" / "tmp")
        assert seen["env"] == {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        assert "loopback guard: refused create_connection 10.255.255.1:443" in seen["attempts"]["connect"]
        assert "loopback guard: refused getaddrinfo example.com:443" in seen["attempts"]["lookup"]
    assert running.refusals() == ["create_connection 10.255.255.1:443", "getaddrinfo example.com:443"]
    assert running.stopped is not None and running.stopped.how == "exited on SIGTERM (status -15)"
    assert "fake emulator: starting" in running.log_path.read_text()
    assert not (tmp_path / "run" / "data").exists()
    _assert_all_gone(running.pid, *seen["children"])


@pytest.mark.parametrize("interruption", [ValueError("the body failed"), KeyboardInterrupt()])
def test_stopped_when_the_body_raises_or_is_interrupted(
    script: Path, tmp_path: Path, interruption: BaseException
) -> None:
    with pytest.raises(type(interruption)), started(_fake(script), run_dir=tmp_path) as running:
        children = _health(running.url)["children"]
        raise interruption
    assert running.stopped is not None
    _assert_all_gone(running.pid, *children)


def test_an_emulator_deaf_to_sigterm_is_killed_with_its_group_after_the_grace(
    script: Path, tmp_path: Path
) -> None:
    with started(_fake(script, "stubborn"), run_dir=tmp_path, stop_grace=0.3) as running:
        children = _health(running.url)["children"]
    assert running.stopped is not None and running.stopped.how == "killed after 0.3 s"
    # The child in a session of its own had left the group: killed all the same, and said so.
    assert running.stopped.left == (children[1],)
    _assert_all_gone(running.pid, *children)


def test_an_emulator_that_dies_at_start_is_one_line_with_its_log(script: Path, tmp_path: Path) -> None:
    with pytest.raises(RecipeError) as raised, started(_fake(script, "die"), run_dir=tmp_path):
        pytest.fail("it never got healthy")
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("Fake 1.0.0 exited with status 3 before it was healthy; last lines of ")
    assert message.endswith("fake emulator: starting | fake emulator: boom, cannot start")


def test_an_emulator_never_healthy_times_out_in_one_line_and_is_stopped(script: Path, tmp_path: Path) -> None:
    started_at = time.monotonic()
    unhealthy = started(_fake(script, "unhealthy"), run_dir=tmp_path, start_timeout=1)
    with pytest.raises(RecipeError) as raised, unhealthy:
        pytest.fail("it never got healthy")
    assert time.monotonic() - started_at < 10
    message = str(raised.value)
    assert "\n" not in message
    assert "Fake 1.0.0 was not healthy at GET http://127.0.0.1:" in message
    assert "/health within 1 s (last answer HTTP 503); last lines of " in message
    _assert_all_gone(*_pids_in(tmp_path / "emulator.log"))


def _pids_in(log: Path) -> list[int]:
    """The fake's pid and its children's, as it printed them."""
    line = next(line for line in log.read_text().splitlines() if line.startswith("fake emulator: pids "))
    return [int(word) for word in line.split()[3:]]


def test_the_version_falls_back_to_the_pinned_one_when_the_endpoint_does_not_say(
    script: Path, tmp_path: Path
) -> None:
    with started(_fake(script, version_path="/not-json"), run_dir=tmp_path) as running:
        assert (running.version, running.version_source) == ("1.0.0", "pinned")


def test_a_python_that_ignores_the_guard_is_refused_before_the_emulator_starts(
    script: Path, tmp_path: Path
) -> None:
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nexec {sys.executable} -I "$@"\n')  # -I: PYTHONPATH is ignored
    python.chmod(0o755)
    unguarded = started(_fake(script, python=lambda: python), run_dir=tmp_path / "run")
    with (
        pytest.raises(
            RecipeError, match=r"^Fake: the network guard is not active under .*; not starting it$"
        ),
        unguarded,
    ):
        pytest.fail("started without its guard")
    assert not (tmp_path / "run" / "emulator.log").exists()


# --- the guard itself, in a subprocess -----------------------------------------------------------------

GUARD_PROBE = r"""
import json, os, socket, sys, tempfile
import sitecustomize as guard

def tripwire(*args, **kwargs):
    raise AssertionError("the guard let a call through to the network")

real = dict(guard._REAL)
guard._REAL.update({name: tripwire for name in real})
refused = {}
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
tcp = socket.socket()
for name, attempt in {
    "connect private": lambda: tcp.connect(("10.1.2.3", 443)),
    "connect_ex public": lambda: tcp.connect_ex(("8.8.8.8", 53)),
    "connect by name": lambda: tcp.connect(("example.com", 80)),
    "create_connection": lambda: socket.create_connection(("198.51.100.7", 80)),
    "getaddrinfo name": lambda: socket.getaddrinfo("example.com", 443),
    "getaddrinfo public": lambda: socket.getaddrinfo("1.1.1.1", 53),
    "gethostbyname": lambda: socket.gethostbyname("example.com"),
    "gethostbyaddr": lambda: socket.gethostbyaddr("8.8.4.4"),
    "getnameinfo": lambda: socket.getnameinfo(("8.8.4.4", 53), 0),
    "sendto": lambda: udp.sendto(b"dns?", ("192.0.2.1", 53)),
    "bind all interfaces": lambda: socket.socket().bind(("0.0.0.0", 0)),
    "ipv6 public": lambda: socket.socket(socket.AF_INET6).connect(("2001:db8::1", 443, 0, 0)),
}.items():
    try:
        attempt()
        refused[name] = None
    except OSError as error:
        refused[name] = [type(error).__name__, str(error)]
guard._REAL.update(real)
try:
    import uvloop
    uvloop_blocked = False
except ImportError as error:
    uvloop_blocked = "loopback guard" in str(error)

server = socket.create_server(("127.0.0.1", 0))
port = server.getsockname()[1]
allowed = []
for host in ("127.0.0.1", "localhost"):
    with socket.create_connection((host, port), timeout=2):
        allowed.append(host)
other = socket.create_server(("127.1.2.3", 0))  # all of 127.0.0.0/8 is loopback
with socket.create_connection(other.getsockname(), timeout=2):
    allowed.append("127.1.2.3")
with socket.socket() as client:
    client.connect(("localhost", port))
    allowed.append("connect localhost")
answers = socket.getaddrinfo("localhost", port, socket.AF_INET, socket.SOCK_STREAM)
allowed.append([entry[4][0] for entry in answers])
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "s")
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(path)
    unix.listen()
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(path)
        allowed.append("unix")
print(json.dumps({"refused": refused, "allowed": allowed, "uvloop_blocked": uvloop_blocked,
                  "active": socket._loopback_guard}))
"""


@pytest.fixture(scope="module")
def guard_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], list[str]]]:
    log = tmp_path_factory.mktemp("guard") / "guard.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env |= {"PYTHONPATH": str(GUARD_DIR), GUARD_LOG_ENV: str(log)}
    done = subprocess.run(
        [sys.executable, "-c", GUARD_PROBE], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    yield json.loads(done.stdout), log.read_text().splitlines()


def test_the_guard_refuses_everything_off_loopback_before_the_real_call(
    guard_run: tuple[dict[str, Any], list[str]],
) -> None:
    seen, _ = guard_run
    assert seen["active"] is True
    refused = seen["refused"]
    assert {name for name, error in refused.items() if error is None} == set()
    lookups = ("getaddrinfo name", "getaddrinfo public", "gethostbyname", "gethostbyaddr", "getnameinfo")
    for name, (kind, message) in refused.items():
        assert kind == ("gaierror" if name in lookups else "OSError"), name
        assert "] loopback guard: refused " in message, name  # "[Errno N] ...": an errno callers know
    assert refused["connect private"][1] == "[Errno 101] loopback guard: refused connect 10.1.2.3:443"
    assert refused["getaddrinfo name"][1].endswith("] loopback guard: refused getaddrinfo example.com:443")
    assert seen["uvloop_blocked"] is True  # its sockets would bypass the guard


def test_the_guard_allows_loopback_and_unix_sockets_without_a_lookup(
    guard_run: tuple[dict[str, Any], list[str]],
) -> None:
    seen, _ = guard_run
    assert seen["allowed"] == [
        "127.0.0.1",
        "localhost",
        "127.1.2.3",
        "connect localhost",
        ["127.0.0.1"],
        "unix",
    ]


def test_the_guard_logs_one_line_per_refusal(guard_run: tuple[dict[str, Any], list[str]]) -> None:
    seen, lines = guard_run
    assert len(lines) == len(seen["refused"])
    assert all(line.split()[1] == f"pid={line.split()[1][4:]}" for line in lines)
    assert [" ".join(line.split()[2:]) for line in lines][:3] == [
        "connect 10.1.2.3:443",
        "connect_ex 8.8.8.8:53",
        "connect example.com:80",
    ]


# --- recipes and installs -------------------------------------------------------------------------------


def test_a_missing_interpreter_is_one_line_that_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pyenv on PATH: PYENV_ROOT is where it looks
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    (tmp_path / "pyenv" / "versions" / "3.12.1" / "bin").mkdir(parents=True)
    with pytest.raises(RecipeError) as raised:
        pyenv_python("LocalStack", "3.13")()
    assert str(raised.value) == f"LocalStack needs Python 3.13: not found under {tmp_path}/pyenv/versions"
    monkeypatch.delenv("PYENV_ROOT")
    with pytest.raises(RecipeError, match=r"^LocalStack needs Python 3.13: pyenv is not installed"):
        RECIPES["localstack"].python()


def test_the_newest_patch_release_under_pyenv_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    for patch in ("0", "10", "2"):
        python = tmp_path / "versions" / f"3.13.{patch}" / "bin" / "python3.13"
        python.parent.mkdir(parents=True)
        python.write_text("")
        python.chmod(0o755)
    assert pyenv_python("LocalStack", "3.13")() == tmp_path / "versions" / "3.13.10" / "bin" / "python3.13"


def test_an_install_is_skipped_when_its_stamp_says_this_version_is_there(
    tmp_path: Path, script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = _fake(script, requirements=("fake-emulator==1.0.0",))
    where = installation(recipe, tmp_path)
    where.python.parent.mkdir(parents=True)
    where.python.symlink_to(sys.executable)
    stamp = {"requirements": ["fake-emulator==1.0.0"], "python": sys.executable, "installed": "1.0.0"}
    (where.home / "installed.json").write_text(json.dumps(stamp))

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("installed again")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    assert venvs.install(recipe, tmp_path) == (where, False)
    assert where.home == tmp_path / "fake-1.0.0"
    other = _fake(script, requirements=("fake-emulator==1.0.0",), version="2.0.0")
    assert not installation(other, tmp_path).installed  # another version: another venv


def test_every_recipe_binds_loopback_only() -> None:
    launch = Launch(python=Path("/v/bin/python"), port=4321, data_dir=Path("/d"))
    for recipe in RECIPES.values():
        words = [*recipe.command(launch), *recipe.environment(launch).values()]
        assert "127.0.0.1" in " ".join(words) and "0.0.0.0" not in " ".join(words), recipe.name


# --- the command line -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["start", "nope"], "unknown emulator 'nope'; choose from: fake"),
        (["bogus"], "argument command: invalid choice: 'bogus'"),
        (["run"], "the following arguments are required: NAME"),
        (["run", "fake", "fake"], "unrecognized arguments: fake"),
        (["run", "fake", "--", "--endpoint-url=http://x"], "run sets --endpoint-url itself"),
        (["install", "fake", "--", "-x"], "only run takes arguments after --, not install"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], message: str, script: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert emulators_cli.main(argv, recipes={"fake": _fake(script)}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_run_passes_the_url_and_the_suites_exit_code_on(
    script: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/health'); sys.exit(3)"

    def command_for(url: str, args: object) -> list[str]:
        return [sys.executable, "-c", suite, url]

    argv = ["--run-dir", str(tmp_path), "run", "fake", "--", "--profile", "quick"]
    assert emulators_cli.main(argv, recipes={"fake": _fake(script)}, command_for=command_for) == 3
    err = capsys.readouterr().err
    assert "emulators: Fake 9.9.9-fake (GET /health) at http://127.0.0.1:" in err
    assert "emulators: the suite exited with 3" in err
    assert "emulators: stopped Fake in " in err
    assert (
        "the guard refused 2 attempts: create_connection 10.255.255.1:443, getaddrinfo example.com:443" in err
    )
    command = emulators_cli.suite_command("http://u", ["--seed", "1"])
    assert importlib.util.find_spec(command[2]) is not None, command  # python -m <a module that exists>
    assert command[-6:] == [
        "--target",
        "url",
        "--endpoint-url",
        "http://u",
        "--seed",
        "1",
    ]


def test_list_says_in_one_line_why_a_recipe_cannot_run_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    assert emulators_cli.main(["--cache-dir", str(tmp_path), "list", "localstack"]) == 0
    assert capsys.readouterr().out == (
        "localstack  LocalStack 2026.3.0  cannot run here: "
        f"LocalStack needs Python 3.13: not found under {tmp_path}/versions\n"
    )
