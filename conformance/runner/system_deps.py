"""The system packages the project needs, installed by ``make`` when they are missing and it may.

libzbar0, behind pyzbar's QR decoder, is needed by every run: pyzbar loads ``libzbar.so.0`` with
ctypes at import time, and without it every QR check would crash. ``python -m conformance.runner.system_deps
--install`` is what ``make report`` and ``make test`` run.

Debian's chromium and chromium-driver are needed only by the project's own tests (the HTML report is
opened in a real headless browser): ``make test`` adds ``--with-browser``, ``make report`` does not.

Whatever is missing is installed with apt-get when this process may do so (root, or password-less
sudo); otherwise one line per missing package says how to install it, and the exit status is 2.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CHROMEDRIVER",
    "CHROMIUM",
    "MISSING_BROWSER_MESSAGE",
    "MISSING_ZBAR_MESSAGE",
    "browser_available",
    "zbar_available",
]

MISSING_ZBAR_MESSAGE = (
    "error: the system library libzbar0 is missing (needed to decode QR codes); "
    "install it with: sudo apt-get install libzbar0"
)
MISSING_BROWSER_MESSAGE = (
    "error: chromium and chromedriver are missing (the HTML report's browser test needs them); "
    "install them with: sudo apt-get install chromium chromium-driver"
)
# Where Debian's packages put them; the browser test uses these paths, never a downloaded browser.
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def zbar_available() -> bool:
    return ctypes.util.find_library("zbar") is not None


def browser_available() -> bool:
    return all(path.is_file() and os.access(path, os.X_OK) for path in (CHROMIUM, CHROMEDRIVER))


@dataclass(frozen=True)
class _Need:
    packages: tuple[str, ...]
    available: Callable[[], bool]
    missing_message: str


def _needs(with_browser: bool) -> list[_Need]:
    # Looked up at call time, so that a test can replace zbar_available or browser_available.
    needs = [_Need(("libzbar0",), zbar_available, MISSING_ZBAR_MESSAGE)]
    if with_browser:
        needs.append(_Need(("chromium", "chromium-driver"), browser_available, MISSING_BROWSER_MESSAGE))
    return needs


def _apt_prefix() -> list[str] | None:
    if shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def _install_with_apt(prefix: list[str], packages: list[str]) -> bool:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        print("+", " ".join(prefix + command), file=sys.stderr)
        result = subprocess.run(prefix + command, env=env, stdout=subprocess.DEVNULL)
        if result.returncode != 0:
            return False
    return True


def main(argv: list[str]) -> int:
    missing = [need for need in _needs("--with-browser" in argv) if not need.available()]
    if not missing:
        return 0
    prefix = _apt_prefix() if "--install" in argv else None
    if prefix is not None:
        _install_with_apt(prefix, [package for need in missing for package in need.packages])
        missing = [need for need in missing if not need.available()]
    for need in missing:
        print(need.missing_message, file=sys.stderr)
    return 2 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
