"""The one system library the suite needs: libzbar0, behind pyzbar's QR decoder.

pyzbar loads ``libzbar.so.0`` with ctypes at import time; without it every QR check would crash.
``python -m conformance.system_deps --install`` is what ``make`` runs: it installs the library with
apt-get when it is missing and this process may do so (root, or password-less sudo), and otherwise
prints one line saying how to install it.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys

__all__ = ["MISSING_ZBAR_MESSAGE", "zbar_available"]

MISSING_ZBAR_MESSAGE = (
    "error: the system library libzbar0 is missing (needed to decode QR codes); "
    "install it with: sudo apt-get install libzbar0"
)


def zbar_available() -> bool:
    return ctypes.util.find_library("zbar") is not None


def _apt_prefix() -> list[str] | None:
    if shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def _install_with_apt(prefix: list[str]) -> bool:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "libzbar0"]):
        print("+", " ".join(prefix + command), file=sys.stderr)
        result = subprocess.run(prefix + command, env=env, stdout=subprocess.DEVNULL)
        if result.returncode != 0:
            return False
    return True


def main(argv: list[str]) -> int:
    if zbar_available():
        return 0
    prefix = _apt_prefix() if "--install" in argv else None
    if prefix is not None and _install_with_apt(prefix) and zbar_available():
        return 0
    print(MISSING_ZBAR_MESSAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
