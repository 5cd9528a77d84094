"""How a run ended, beyond its verdicts: what it left on the endpoint, and whether it was cut short.

Both are results in their own right, not notes. A resource the suite created and could not delete costs
the user money or quota on a real account, and must be removed by hand: each one is listed with the
endpoint's last answer about it (`Leftover`). A run cut short by a signal judged only part of the checks:
its counts and score are not final, and every report says so (`ending_lines`, `score_suffix`).

The renderers (terminal, Markdown, HTML, JUnit) all take their words from here, so they agree. This
module imports nothing of the reports' model: the model imports `Leftover` from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Leftover", "ending_lines", "interrupted_line", "leftovers_line", "score_suffix"]


@dataclass(frozen=True)
class Leftover:
    """One resource the run created (or may have created) and could not delete.

    ``kind``: ``device`` (``id`` is its serial), ``user`` (its name), or ``create`` (a create that was
    never answered and could not be looked for: ``id`` is the ``mfa<path><name>`` it was sent with).
    ``answer``: the endpoint's last answer about it, as the suite saw it (already redacted).
    """

    kind: str
    id: str
    answer: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "answer": self.answer}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Leftover:
        return cls(kind=str(data["kind"]), id=str(data["id"]), answer=str(data.get("answer", "")))

    def describe(self) -> str:
        return f"{self.kind} {self.id}: {self.answer}" if self.answer else f"{self.kind} {self.id}"


def leftovers_line(leftovers: Sequence[Leftover]) -> str:
    """One sentence: how many resources the run left on the endpoint (to remove by hand)."""
    count = len(leftovers)
    what = "resource" if count == 1 else "resources"
    return f"LEFT BEHIND: {count} {what} the suite created could not be deleted: remove by hand"


def interrupted_line(interrupted: str, complete: bool) -> str:
    """One sentence: the run was cut short by ``interrupted`` (the signals, e.g. ``SIGINT, SIGTERM``)."""
    if complete:
        return f"INTERRUPTED by {interrupted} during the final cleanup (every check had run)"
    return f"INTERRUPTED by {interrupted}: only part of the checks ran; counts and score are not final"


def ending_lines(interrupted: str | None, complete: bool, leftovers: Sequence[Leftover]) -> list[str]:
    """The lines every report shows about how the run ended: interrupted, then each leftover."""
    lines = [interrupted_line(interrupted, complete)] if interrupted else []
    if leftovers:
        lines.append(leftovers_line(leftovers))
        lines += [f"  {leftover.describe()}" for leftover in leftovers]
    return lines


def score_suffix(interrupted: str | None, complete: bool) -> str:
    """What follows a score that is not final: `` (interrupted, not final)``, `` (incomplete, ...)``."""
    if interrupted and not complete:
        return " (interrupted: not final)"
    if not complete:
        return " (incomplete: not final)"
    return ""
