"""Which product answers at a URL, and its version, where the endpoint tells it.

A run against ``--target url`` is reported under a product's name ("LocalStack 2026.3.0"), never under
an ephemeral port. The recipes know where each product says what it is; MiniStack also answers
LocalStack's health path (with ``"edition": "light"``), so it is asked first. moto's server says
nothing of its version (``/moto-api/`` is an HTML dashboard): it is named, without a version.
"""

from __future__ import annotations

from conformance.emulators.process import http_get
from conformance.emulators.recipes import RECIPES

__all__ = ["identify"]

_TIMEOUT_S = 2.0
_ORDER = ("ministack", "localstack", "moto")  # the most specific health path first
_MOTO_DASHBOARD = "/moto-api/"


def identify(url: str) -> str | None:
    """``"<product> <version>"`` (or the product alone) for the endpoint at ``url``; None if unknown."""
    base = url.rstrip("/")
    for name in _ORDER:
        recipe = RECIPES[name]
        path = recipe.version_path or (_MOTO_DASHBOARD if name == "moto" else None)
        if path is None:
            continue
        answer = http_get(base + path, _TIMEOUT_S)
        if answer is None or answer[0] != 200:
            continue
        if recipe.version_path is None:
            if b"moto" in answer[1].lower():
                return recipe.product
            continue
        version = recipe.version_from(answer[1])
        if version is not None:
            return f"{recipe.product} {version}"
    return None
