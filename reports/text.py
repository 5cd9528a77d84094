"""What the human-readable reports (Markdown, HTML, JUnit) say about one result, in the same words.

A result's text comes from the endpoint (an error message, an echoed name) and may hold anything:
control characters, markup, megabytes. Here it is made *visible* (a control character becomes
``\\x1b``, never a raw byte a terminal, a browser or an XML parser would act on) and *bounded*; each
renderer then escapes it for its own syntax.
"""

from __future__ import annotations

import re

from reports.model import CheckResult, Expectation

__all__ = ["EXPECTATION_WORDS", "clip", "detail_fields", "distinct_fields", "printable", "verdict_label"]

EXPECTATION_WORDS = {
    Expectation.EXPECTED_FAILURE: "expected",
    Expectation.UNEXPECTED_FAILURE: "unexpected",
    Expectation.UNEXPECTED_PASS: "unexpected pass",
}
_EXPECTATION_SENTENCES = {
    Expectation.EXPECTED_FAILURE: "expected failure: the expectations file lists this verdict",
    Expectation.UNEXPECTED_FAILURE: "unexpected failure: the expectations file does not list this verdict",
    Expectation.UNEXPECTED_PASS: "unexpected pass: the expectations file lists a failure (update it)",
}

# C0 controls but tab and newline, DEL, C1 controls; lone surrogates (from undecodable bytes); the two
# non-characters XML 1.0 forbids. Carriage returns go too: "\r\n" becomes "\n" first.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` with every control character spelled out (``\\x1b``, ``\\ufffe``): what a reader can see."""
    return _INVISIBLE.sub(_spelled, text.replace("\r\n", "\n"))


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clip(text: str, limit: int, where: str | None = None) -> str:
    """At most about ``limit`` characters, saying how much was left out (and ``where`` it is)."""
    if len(text) <= limit:
        return text
    if where is None:
        return text[:limit] + "…"
    return f"{text[:limit]}… ({len(text) - limit} more characters in {where})"


def verdict_label(result: CheckResult) -> str:
    """``FAIL``, or ``FAIL (expected)`` when an expectations file judged it."""
    if result.expectation is None:
        return str(result.verdict)
    return f"{result.verdict} ({EXPECTATION_WORDS[result.expectation]})"


def detail_fields(result: CheckResult) -> list[tuple[str, str]]:
    """The result's texts that are present, labelled, in the order every report shows them."""
    fields = [
        ("Message", result.message),
        ("Expected", result.expected),
        ("Observed", result.observed),
        ("Counterexample", result.counterexample),
        ("Reproduction", result.reproduction),
        ("Notes", "\n".join(result.notes)),
    ]
    if result.expectation is not None:
        reason = f"\nreason: {result.expectation_reason}" if result.expectation_reason else ""
        fields.append(("Expectation", _EXPECTATION_SENTENCES[result.expectation] + reason))
    return [(label, text) for label, text in fields if text]


# How the failure template (`conformance.judging.verdicts`) introduces each field it repeats in a message.
_TEMPLATE_LABELS = (
    ("Expected: ", "expected"),
    ("Received: ", "observed"),
    ("Minimal failing input: ", "counterexample"),
    ("Reproduce (a boto3 script):\n", "reproduction"),
    ("Reproduce: ", "reproduction"),  # a one-call reproduction, as older runs' results.json have it
)


def distinct_fields(result: CheckResult) -> list[tuple[str, str]]:
    """`detail_fields`, less what the message repeats. A FAIL's message is the failure template: a first
    line with the check id, verdict and title, then the fields that are shown anyway. What else it says
    is kept, and any other message (an ERROR's exception, a NOT_IMPLEMENTED's answer) is kept whole."""
    fields = detail_fields(result)
    if not result.message.startswith(f"{result.check} ("):
        return fields
    message = result.message.partition("\n")[2]
    for label, name in _TEMPLATE_LABELS:
        value = getattr(result, name)
        if value:
            message = message.replace(label + value, "")
    rest = "\n".join(line for line in message.splitlines() if line.strip())
    return [
        (label, rest if label == "Message" else text) for label, text in fields if label != "Message" or rest
    ]
