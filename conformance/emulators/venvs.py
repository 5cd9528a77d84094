"""Each emulator in a venv of its own, under a cache folder, installed once per version.

A stamp file written after a successful install (the requirements, the interpreter, what pip
installed) makes the next start skip the install; a venv without a stamp, or with a stamp for other
requirements, is rebuilt from scratch. pip's output goes to ``install.log`` beside the venv, so a
failure is one line with that log's last lines rather than pages of resolver output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conformance.emulators.logs import tail
from conformance.emulators.recipes import Recipe, RecipeError

__all__ = ["DEFAULT_CACHE", "Installation", "install", "installation"]

DEFAULT_CACHE = Path(__file__).resolve().parents[2] / ".emulators"  # in the repository, gitignored
_STAMP = "installed.json"
_VERSION_PROBE = "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))"


@dataclass(frozen=True)
class Installation:
    recipe: Recipe
    home: Path  # <cache>/<name>-<version>
    python: Path  # the interpreter the emulator runs under

    @property
    def installed(self) -> bool:
        return _stamp_matches(self)


def installation(recipe: Recipe, cache_dir: Path | None = None) -> Installation:
    """Where the recipe lives (nothing is checked or installed): RecipeError when it has no interpreter."""
    home = (cache_dir or DEFAULT_CACHE).resolve() / f"{recipe.name}-{recipe.version}"
    if not recipe.requirements:
        return Installation(recipe, home, recipe.python())
    return Installation(recipe, home, home / "venv" / "bin" / "python")


def install(recipe: Recipe, cache_dir: Path | None = None) -> tuple[Installation, bool]:
    """The installation, and whether this call installed it (False: the stamp said it was there)."""
    target = installation(recipe, cache_dir)
    if not recipe.requirements or target.installed:
        return target, False
    base = recipe.python()
    venv = target.home / "venv"
    target.home.mkdir(parents=True, exist_ok=True)
    (target.home / _STAMP).unlink(missing_ok=True)
    if venv.exists():
        shutil.rmtree(venv)
    log = target.home / "install.log"
    log.write_text("")
    _logged([str(base), "-m", "venv", str(venv)], log, recipe, "create its venv")
    pip = [str(target.python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input"]
    _logged([*pip, *recipe.requirements], log, recipe, "install " + " ".join(recipe.requirements))
    distribution = recipe.requirements[0].split("[")[0].split("=")[0]
    probe = subprocess.run(
        [str(target.python), "-c", _VERSION_PROBE, distribution], capture_output=True, text=True, check=False
    )
    found = probe.stdout.strip()
    if found != recipe.version:
        raise RecipeError(
            f"{recipe.product}: pip installed {distribution} {found or '?'}, not {recipe.version}"
        )
    stamp = {"requirements": list(recipe.requirements), "python": str(base), "installed": found}
    (target.home / _STAMP).write_text(json.dumps(stamp, indent=2) + "\n")
    return target, True


def _stamp_matches(target: Installation) -> bool:
    try:
        stamp = json.loads((target.home / _STAMP).read_text())
    except (OSError, ValueError):
        return False
    return (
        isinstance(stamp, dict)
        and stamp.get("requirements") == list(target.recipe.requirements)
        and stamp.get("installed") == target.recipe.version
        and target.python.exists()
    )


def _logged(command: list[str], log: Path, recipe: Recipe, what: str) -> None:
    with log.open("a") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        code = subprocess.run(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        ).returncode
    if code != 0:
        raise RecipeError(f"{recipe.product} {recipe.version}: could not {what} (exit {code}); {tail(log)}")
