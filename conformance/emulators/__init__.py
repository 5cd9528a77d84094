"""Third-party IAM emulators (moto server, MiniStack, LocalStack) installed, started and stopped on
loopback, for running the suite against each: the plumbing of a compatibility matrix.

Each emulator is a `Recipe` (`recipes`): data and small functions. `started(recipe)` installs it in a
venv of its own when needed (`venvs`), starts it on a free loopback port behind a network guard that
refuses anything off the machine (``guard/sitecustomize.py``), waits for its health URL, and stops it
by its PID, with its whole process group, however the body ends (`process`). ``python -m
conformance.emulators`` is the command line (`cli`).
"""

from conformance.emulators.process import Running, Stopped, started
from conformance.emulators.recipes import RECIPES, Launch, Recipe, RecipeError, recipe_named
from conformance.emulators.venvs import Installation, install, installation

__all__ = [
    "RECIPES",
    "Installation",
    "Launch",
    "Recipe",
    "RecipeError",
    "Running",
    "Stopped",
    "install",
    "installation",
    "recipe_named",
    "started",
]
