"""One recipe per third-party IAM emulator: what it needs, how it starts, how it says it is ready.

Data plus small functions, so that a new emulator is one more `Recipe` and the machinery
(`conformance.emulators.venvs` installs, `conformance.emulators.process` starts and stops) stays the
same. The facts (versions, extra pins, the environment that keeps each on loopback) are the ones
measured in the project's EMULATORS notes; each emulator gets a venv of its own because their pins
conflict with each other and with the suite's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["RECIPES", "Launch", "Recipe", "RecipeError", "find_python", "pyenv_python", "recipe_named"]


class RecipeError(RuntimeError):
    """A recipe cannot be satisfied or run here: one line that says why."""


@dataclass(frozen=True)
class Launch:
    """What a recipe's functions are given to build a start command: all paths absolute."""

    python: Path  # the emulator's own interpreter (its venv's, or the base one when it installs nothing)
    port: int
    data_dir: Path  # empty, the emulator's working directory; removed when it stops


@dataclass(frozen=True)
class Recipe:
    name: str  # what the command line calls it: moto, ministack, localstack
    product: str  # how reports name it
    version: str  # the pinned version, also the fallback when the endpoint does not say
    requirements: tuple[str, ...]  # pip requirement specifiers; empty: nothing to install
    python: Callable[[], Path]  # the interpreter it needs, or RecipeError saying why there is none
    command: Callable[[Launch], list[str]]
    health_path: str  # answers 200 once it serves
    start_timeout: float  # seconds to wait for health
    stop_grace: float  # seconds between SIGTERM and SIGKILL of the process group
    environment: Callable[[Launch], Mapping[str, str]] = lambda launch: {}
    # Reads the version out of the answer to GET version_path (None: the endpoint does not say).
    version_path: str | None = None
    version_from: Callable[[bytes], str | None] = lambda body: None
    notes: tuple[str, ...] = field(default=())


def find_python(minimum: tuple[int, int]) -> Callable[[], Path]:
    """The interpreter this process was started from, when it is new enough (its base, not a venv)."""

    def find() -> Path:
        if sys.version_info[:2] < minimum:
            wanted = ".".join(map(str, minimum))
            raise RecipeError(f"needs Python {wanted} or newer; this is {sys.version.split()[0]}")
        base = getattr(sys, "_base_executable", None) or sys.executable
        return Path(base)

    return find


def _pyenv_root() -> Path | None:
    pyenv = shutil.which("pyenv")
    if pyenv is not None:
        found = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.strip():
            return Path(found.stdout.strip())
    root = os.environ.get("PYENV_ROOT")
    return Path(root) if root else None


def pyenv_python(product: str, minor: str) -> Callable[[], Path]:
    """``$(pyenv root)/versions/<minor>.*/bin/python<minor>``, the newest patch release there."""

    def find() -> Path:
        root = _pyenv_root()
        if root is None:
            raise RecipeError(f"{product} needs Python {minor}: pyenv is not installed (no pyenv on PATH)")
        versions = root / "versions"
        candidates = [
            path / "bin" / f"python{minor}"
            for path in (versions.glob(f"{minor}.*") if versions.is_dir() else ())
            if path.name.removeprefix(f"{minor}.").isdigit()
        ]
        found = sorted((c for c in candidates if os.access(c, os.X_OK)), key=_patch_level)
        if not found:
            raise RecipeError(f"{product} needs Python {minor}: not found under {versions}")
        return found[-1]

    return find


def _patch_level(python: Path) -> int:
    return int(python.parent.parent.name.rsplit(".", 1)[-1])


def _json_field(*keys: str) -> Callable[[bytes], str | None]:
    def read(body: bytes) -> str | None:
        try:
            value: object = json.loads(body)
        except ValueError:
            return None
        for key in keys:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value if isinstance(value, str) and value else None

    return read


def _bin(launch: Launch, script: str) -> str:
    return str(launch.python.parent / script)


MOTO = Recipe(
    name="moto",
    product="moto",
    version="5.2.5",
    requirements=("moto[server]==5.2.5",),
    python=find_python((3, 9)),
    command=lambda launch: [_bin(launch, "moto_server"), "-H", "127.0.0.1", "-p", str(launch.port)],
    health_path="/moto-api/",
    start_timeout=60,
    stop_grace=10,
    # /moto-api/ is an HTML dashboard and /moto-api/data.json the backends' state: neither names moto's
    # version, so the pinned one is reported.
    notes=("answers an action it does not implement with an HTML 500 page",),
)

MINISTACK = Recipe(
    name="ministack",
    product="MiniStack",
    version="1.5.33",
    # Pinned: an unpinned install next to boto3 resolves to the old 1.4.21.
    requirements=("ministack==1.5.33",),
    python=find_python((3, 10)),
    command=lambda launch: [_bin(launch, "ministack")],
    # It binds 0.0.0.0 unless BIND_HOST says otherwise.
    environment=lambda launch: {"BIND_HOST": "127.0.0.1", "GATEWAY_PORT": str(launch.port)},
    health_path="/_ministack/health",
    start_timeout=60,
    stop_grace=10,
    version_path="/_ministack/health",
    version_from=_json_field("version"),
    notes=("answers an action it does not implement with 400 InvalidAction",),
)

LOCALSTACK = Recipe(
    name="localstack",
    product="LocalStack",
    version="2026.3.0",
    # cbor2 6.x lacks cbor2._decoder, pyOpenSSL 26.x fails while making the self-signed certificate.
    requirements=("localstack-core[runtime]==2026.3.0", "cbor2<6", "pyopenssl<24.3"),
    # 3.11 and 3.12 fail with misleading plugin errors.
    python=pyenv_python("LocalStack", "3.13"),
    command=lambda launch: [str(launch.python), "-m", "localstack.runtime.main"],
    environment=lambda launch: {
        # Hypercorn: the default Twisted gateway needs service_identity.
        "GATEWAY_SERVER": "hypercorn",
        "GATEWAY_LISTEN": f"127.0.0.1:{launch.port}",
        "LOCALSTACK_HOST": f"127.0.0.1:{launch.port}",
        "DNS_ADDRESS": "0",  # no DNS server on port 53
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "DISABLE_EVENTS": "1",
        "SERVICES": "iam,sts",
        # Host mode keeps its state, caches and certificates under FILESYSTEM_ROOT (default: a folder
        # inside the venv, shared by every run) and its TMP_FOLDER in $TMPDIR: both in the empty data folder.
        "FILESYSTEM_ROOT": str(launch.data_dir / "filesystem"),
    },
    health_path="/_localstack/health",
    start_timeout=180,
    # It may take more than 60 s to exit after SIGTERM: the group is killed well before that.
    stop_grace=10,
    version_path="/_localstack/health",
    version_from=_json_field("version"),
    notes=("answers an action it does not implement with 501 InternalFailure",),
)

RECIPES: dict[str, Recipe] = {recipe.name: recipe for recipe in (MOTO, MINISTACK, LOCALSTACK)}


def recipe_named(name: str, recipes: Mapping[str, Recipe] = RECIPES) -> Recipe:
    try:
        return recipes[name]
    except KeyError:
        raise RecipeError(f"unknown emulator {name!r}; choose from: {', '.join(recipes)}") from None
