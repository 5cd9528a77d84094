"""The house's plan, read from the imports: they point one way, and no module imports itself round.

The pipeline, from the top: the pytest shells and the command line (`conformance.operations`,
`conformance.runner`) -> the scenarios (`conformance.scenarios`: what is sent, observed and judged) ->
judging (`conformance.judging`: outcomes, the registry, verdicts) -> the session with the endpoint
(`conformance.session`). `strategies` and `reports` are foundations that know nothing of the suite.
Every import counts: at module level, inside a function, or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("conformance", "strategies", "reports")
# Higher may import lower or equal, never higher.
RANKS = {
    "conformance.operations": 4,
    "conformance.runner": 4,
    "conformance.emulators": 4,
    "conformance.scenarios": 3,
    "conformance.judging": 2,
    "conformance.session": 1,
    "conformance": 0,  # the package itself: its version
    "strategies": 0,
    "reports": 0,
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """The project modules ``name`` imports (``from package import module`` counts as the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = f"{package.rsplit('.', node.level - 1)[0]}.{base}".strip(".")
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        else:
            continue
        yield from (target for target in targets if target.split(".")[0] in PACKAGES)


def _rank(module: str) -> int:
    layer = max((prefix for prefix in RANKS if module == prefix or module.startswith(prefix + ".")), key=len)
    return RANKS[layer]


GRAPH = {name: sorted(set(_imports(name, path)) & MODULES.keys()) for name, path in MODULES.items()}


def test_every_module_is_in_a_layer() -> None:
    assert all(_rank(module) >= 0 for module in MODULES)
    assert any(name.startswith("conformance.scenarios.") for name in MODULES)  # the reader found them


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    upward = [target for target in GRAPH[module] if _rank(target) > _rank(module)]
    assert not upward, f"{module} imports a layer above it: {upward}"


def test_the_foundations_know_nothing_of_the_suite() -> None:
    leaks = {
        module: [target for target in targets if target.startswith("conformance")]
        for module, targets in GRAPH.items()
        if module.startswith(("strategies", "reports"))
    }
    assert {module: targets for module, targets in leaks.items() if targets} == {}


def test_no_module_imports_itself_round() -> None:
    """No cycle among the modules (a package importing its own modules is not a cycle of interest:
    Python runs ``__init__`` first)."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in GRAPH[module]:
            if module.startswith(target + "."):  # a module importing its own package's __init__
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[module] = 2
        path.pop()
        return None

    for module in sorted(GRAPH):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, " -> ".join(cycle)


def test_the_graph_is_read_from_real_imports() -> None:
    """The reader itself: a known edge of each kind is found (a test that cannot fail is a defect)."""
    assert "conformance.session.calls" in GRAPH["conformance.session.suite"]
    assert "conformance.scenarios.created_device" in GRAPH["conformance.scenarios.created_device.seed"]
    assert "conformance.judging.registry" in GRAPH["conformance.scenarios.created_device.seed"]
