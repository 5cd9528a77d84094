"""Java regular expressions, as the IAM service evaluates them, in Python.

The botocore model carries IAM's constraints as *Java* patterns and the service applies them to the
whole value. Python differs in the places that matter here: ``\\w``, ``\\d`` and ``\\s`` are Unicode
aware in Python but ASCII only in Java (``java.util.regex.Pattern``, "Predefined character classes"),
and ``re`` lacks the ``\\p{L}``/``\\p{Z}``/``\\p{N}`` categories, which the ``regex`` package has.

This translation is deliberately private to the reference endpoint: the suite's own ``strategies``
package has its own, and the two must stay independent so one can catch the other's mistakes.
"""

from __future__ import annotations

import functools

import regex

__all__ = ["compile_java", "python_semantics"]

# Java's predefined classes (Pattern javadoc): ASCII only unless UNICODE_CHARACTER_CLASS is set.
_CLASS_BODY = {
    "w": "A-Za-z0-9_",
    "d": "0-9",
    "s": " \\t\\n\\x0B\\f\\r",
}


def _translate(pattern: str) -> str:
    """Rewrite the ASCII-only predefined classes; pass every other construct through unchanged."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            body = _CLASS_BODY.get(escaped.lower())
            if body is None:
                out.append(pattern[i : i + 2])
            elif escaped.islower():
                out.append(body if in_class else f"[{body}]")
            elif in_class:
                # A negated class inside a class needs set operations; no IAM pattern uses one.
                raise ValueError(f"unsupported construct \\{escaped} inside a character class: {pattern!r}")
            else:
                out.append(f"[^{body}]")
            i += 2
            continue
        if char == "[":
            if in_class:
                raise ValueError(f"nested character classes are not supported: {pattern!r}")
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


@functools.cache
def compile_java(pattern: str) -> regex.Pattern[str]:
    """Compile a model pattern with Java semantics; use ``.fullmatch`` (the service matches whole values)."""
    return regex.compile(_translate(pattern), regex.VERSION0)


@functools.cache
def python_semantics(pattern: str) -> regex.Pattern[str]:
    """The same pattern read the naive Python way (Unicode ``\\w``): only the mutants use this."""
    return regex.compile(pattern, regex.VERSION0)
