"""What real AWS answered to invalid CreateVirtualMFADevice requests, per violated constraint.

Source (SPEC-NOTES, "Observed on real AWS"): public recordings of real AWS responses kept by
LocalStack's test suite (tests/aws/services/iam/test_iam_mfa.snapshot.json, recorded February 2026).
Where no recording exists, AWS's habit is used: a 400 ``ValidationError`` whose message starts
"N validation error(s) detected: Value" (an empty value breaks its length and its pattern at once:
two errors), and ``InvalidInput`` for semantic problems such as duplicate tag
keys. Limits in messages are read from the model, never written here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from strategies.model import string_constraint

__all__ = ["AwsAnswer", "aws_answer"]

_PATH_PATTERN_MESSAGE = (
    "The specified value for path is invalid. It must begin and end with / and contain only "
    "alphanumeric characters and/or / characters."
)
_VALIDATION_PREFIX = re.compile(r"[0-9]+ validation errors? detected: Value")


@dataclass(frozen=True)
class AwsAnswer:
    code: str
    message: str  # the recorded message, or a description of the habit
    recorded: bool  # a recording exists (else: AWS's habit)
    matches_message: Callable[[str], bool]


def _exactly(text: str) -> Callable[[str], bool]:
    return lambda message: message == text


def aws_answer(label: str) -> AwsAnswer:
    """The answer real AWS gives (or habitually gives) to a request breaking ``label``."""
    if label in ("path.pattern.no-leading-slash", "path.pattern.no-trailing-slash"):
        # Recorded for Path "invalid-path/" and "/invalid-path".
        return AwsAnswer("ValidationError", _PATH_PATTERN_MESSAGE, True, _exactly(_PATH_PATTERN_MESSAGE))
    if label == "path.length.max":
        maximum = string_constraint("CreateVirtualMFADevice", "Path").max_length
        message = (
            "1 validation error detected: Value at 'path' failed to satisfy constraint: "
            f"Member must have length less than or equal to {maximum}"
        )
        return AwsAnswer("ValidationError", message, True, _exactly(message))
    if label.startswith("path."):
        # Other path breaks are not recorded (an empty path breaks its length and its pattern):
        # either the recorded path sentence or the habit.
        return AwsAnswer(
            "ValidationError",
            f"the recorded path message, or one starting {_VALIDATION_PREFIX.pattern!r}",
            False,
            lambda message: message == _PATH_PATTERN_MESSAGE or bool(_VALIDATION_PREFIX.match(message)),
        )
    if label == "tags.keys.duplicate-case-insensitive":
        return AwsAnswer("InvalidInput", "any message", False, lambda message: True)
    return AwsAnswer(
        "ValidationError",
        f"a message starting {_VALIDATION_PREFIX.pattern!r}",
        False,
        lambda message: bool(_VALIDATION_PREFIX.match(message)),
    )
