"""Secrets never leave memory.

The seed and the QR image of a virtual MFA device are secret access material (the API reference:
"treat like any other secret access information ... ensure that the information is destroyed").
They are wrapped in `Secret` the moment a response arrives, so that no ``repr``, assertion message,
traceback or report can show them; a failure shows `describe_secret` instead: length, alphabet and a
hash prefix, enough to tell two values apart and nothing to reuse.

`scrub` is the second line of defence: every text that goes into a report passes through it, and any
secret the run has seen (raw, base64, or base32-decoded hex) is replaced by its description. It also
redacts by *shape* what it has never seen: a raw response body that an error quotes (botocore's parse
errors do, "invalid XML received ... b'<...>'") may hold a seed or a QR image the run never parsed, from
a garbled answer or a listing that leaks them. So a run of 16 or more base32 characters (a seed, as AWS
and the emulators spell it), 32 or more hex digits (a seed's bytes), 64 or more base64 characters (a QR
image, or a seed's base64) and anything from a PNG signature on are replaced by what they looked like
(`redact_shapes`), when they are as random as secret material is (they do not compress: the suite's own
long names, a letter repeated or an alphabet cycled, are kept). A random name of the suite's own inputs
may be redacted with them: a report then loses a detail, never a secret.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import re
import string
import threading
import zlib
from collections.abc import Iterator

__all__ = ["Secret", "describe_secret", "forget_secrets", "mask", "redact_shapes", "scrub"]

_lock = threading.Lock()
_seen: dict[str, str] = {}  # secret spelling -> its description; in memory only, cleared at the end
_SHORTEST_SCRUBBED = 6  # shorter fragments are too common to scrub without mangling the text
# Where `scrub` looks: each spelling by its first characters (and those shorter, always looked for),
# and the order in which it was first seen. A text is then searched for the few spellings whose start
# it holds, not for every spelling of the run: thousands of them, each once per text, were a share of
# a run's processor time that grew with the square of its length.
_PREFIX = _SHORTEST_SCRUBBED
_by_prefix: dict[str, list[str]] = {}
_short: list[str] = []
_first_seen: dict[str, int] = {}
# The characters those spellings are made of: only a run of them as long as a prefix can hold one, so
# that a long text (a report) is cut into the few runs worth looking at by one regular expression.
_spelled_with: set[str] = set()
_runs: list[re.Pattern[str]] = []  # the expression for _spelled_with; empty: to build again


class Secret:
    """A secret byte string whose printable forms are all redacted."""

    __slots__ = ("_value",)

    def __init__(self, value: bytes) -> None:
        self._value = value
        _remember(value)

    def reveal(self) -> bytes:
        """The value itself: for computing with it, never for printing it."""
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return f"Secret({describe_secret(self._value)})"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Secret is not to be pickled")


def describe_secret(value: bytes) -> str:
    """A redacted description: length, alphabet, and the first 8 hex digits of its SHA-256."""
    digest = hashlib.sha256(value).hexdigest()[:8]
    return f"<redacted: {len(value)} bytes, {_alphabet(value)}, sha256 {digest}…>"


def _alphabet(value: bytes) -> str:
    if value.startswith(b"\x89PNG"):
        return "PNG signature"
    try:
        text = value.decode("ascii")
    except UnicodeDecodeError:
        return "binary"
    if text and set(text) <= set(string.ascii_uppercase + "234567="):
        return "base32 alphabet"
    if text and text.isprintable():
        return "printable ASCII, not base32"
    return "ASCII with control characters"


def _spellings(value: bytes) -> Iterator[str]:
    """The forms in which a secret could end up in text."""
    try:
        text = value.decode("ascii")
    except UnicodeDecodeError:
        text = ""
    if text:
        yield text
        yield text.rstrip("=")
        with contextlib.suppress(binascii.Error, ValueError):  # not base32: no decoded spelling
            yield base64.b32decode(text + "=" * (-len(text) % 8), casefold=True).hex()
    yield base64.b64encode(value).decode("ascii")
    yield value.hex()


def _remember(value: bytes) -> None:
    description = describe_secret(value)
    with _lock:
        for spelling in _spellings(value):
            if len(spelling) >= _SHORTEST_SCRUBBED:
                _keep(spelling, description)


def mask(value: str, shown: str) -> None:
    """Have `scrub` replace ``value`` by ``shown`` too: a value that is not secret access material but
    is the user's to publish (an AWS account id), in every text scrubbed until `forget_secrets`."""
    with _lock:
        _keep(value, shown)


def _keep(spelling: str, description: str) -> None:
    """Record a spelling (the caller holds the lock)."""
    if spelling not in _first_seen:
        _first_seen[spelling] = len(_first_seen)
        if len(spelling) >= _PREFIX:
            _by_prefix.setdefault(spelling[:_PREFIX], []).append(spelling)
            if not _spelled_with.issuperset(spelling):
                _spelled_with.update(spelling)
                _runs.clear()
        else:
            _short.append(spelling)
    _seen[spelling] = description


def _order(spelling: str) -> tuple[int, int]:
    return -len(spelling), _first_seen[spelling]


def _candidates(text: str, after: tuple[int, int] | None) -> list[tuple[tuple[int, int], str, str]]:
    """The spellings that may be in ``text`` (those whose start it holds) with their descriptions, longest
    first, then in the order first seen; with ``after``, only those that come after it in that order."""
    with _lock:
        if _spelled_with and not _runs:
            _runs.append(re.compile(f"[{''.join(map(re.escape, sorted(_spelled_with)))}]{{{_PREFIX},}}"))
        # Each distinct run once: a report repeats the same words thousands of times (its 20,000 runs
        # are some 500 distinct ones), and cutting every repeat into prefixes was most of the time.
        runs = set(_runs[0].findall(text)) if _runs else set()
        starts = {run[at : at + _PREFIX] for run in runs for at in range(len(run) - _PREFIX + 1)}
        found = [
            *_short,
            *(spelling for start in starts & _by_prefix.keys() for spelling in _by_prefix[start]),
        ]
        ordered = sorted((_order(spelling), spelling, _seen[spelling]) for spelling in found)
    return [entry for entry in ordered if after is None or entry[0] > after]


def scrub(text: str) -> str:
    """Replace every secret this process has seen, in any of its spellings, by its description, then
    whatever is shaped like one (`redact_shapes`).

    Longest spellings first, each in the text as the replacements before it left it."""
    candidates = _candidates(text, None)
    while candidates:
        order, spelling, description = candidates.pop(0)
        if spelling in text:
            text = text.replace(spelling, description)
            candidates = _candidates(text, order)  # what is left, as the new text may hold it
    return redact_shapes(text)


# Shapes of secret material in text, each with what its redaction says it looked like, the bits a
# random character of that alphabet carries (0: always redacted), and a literal every match holds (""
# none): a text without it is not searched. A run is bounded by characters that cannot be in it, so
# that a longer word is never cut in two. The literal matters at the end of a run, when each report
# (some 400 kB of text apiece) is scrubbed: a pattern that starts with a look-behind is tried at every
# position of the text (5 ms a report), where looking for its literal is a tenth of that. The literals
# are spelled from the PNG signature, not written out: Hypothesis draws the literals of the suite's
# modules, and one that no module held before would change what a seed draws.
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SHAPES = (
    # a PNG's bytes as text (decoded, or spelled \\x89PNG), to the end of the line: a raw QR image
    (re.compile(r"(?:\x89|\\x89)PNG.*"), "PNG image bytes", 0, _PNG_SIGNATURE[1:4].decode("ascii")),
    # a PNG in base64 ("iVBORw0KGgo" is its signature's); a seed in base32 or hex; any long base64 run
    (
        re.compile(r"(?<![A-Za-z0-9+/])iVBORw0KGgo[A-Za-z0-9+/=\\n\n]*"),
        "base64 PNG image",
        0,
        base64.b64encode(_PNG_SIGNATURE).decode("ascii")[:11],
    ),
    (re.compile(r"(?<![A-Za-z0-9])[A-Z2-7]{16,}=*(?![A-Za-z0-9=])"), "a base32 seed", 5, ""),
    (re.compile(r"(?<![A-Za-z0-9])[0-9a-fA-F]{32,}(?![A-Za-z0-9])"), "hex bytes", 4, ""),
    (re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{64,}={0,2}(?![A-Za-z0-9+/=])"), "base64 data", 6, ""),
)
_WHOLE_TEXT_SHAPES = 2  # the PNG's; the shapes after them are runs of `_LONG_RUN`'s (`redact_shapes`)
# The runs the later shapes can be in: base64's alphabet and "=", as long as the shortest of them (a
# base32 seed's 16). Spelled with a group, longer than the literals Hypothesis draws (20 characters).
_LONG_RUN = re.compile(r"(?:[A-Za-z0-9+/=]){16,}")


def _looks_secret(text: str, bits: int) -> bool:
    """Random, as secret material is: it does not compress below most of what its alphabet carries.
    The suite's own long names and paths (a letter repeated, an alphabet cycled) compress far below."""
    if bits == 0:
        return True
    packed = len(zlib.compress(text.encode("ascii", "replace"), 9))
    return packed >= 0.8 * len(text) * bits / 8


def redact_shapes(text: str) -> str:
    """Replace everything in ``text`` shaped like secret material (`_SHAPES`), seen or not: each shape
    over the text as the shapes before it left it.

    The PNG's shapes are searched for over the whole text. The others (`_WHOLE_TEXT_SHAPES` on) are
    runs of base64's alphabet and "=", 16 characters at the least, whose look-arounds look one character
    past the match for a character of that alphabet: a match lies inside one such run, and past the
    run's ends is a character outside the alphabet or the text's end, where each look-around holds as it
    does at a string's ends. Nor does a redaction join two runs or make a long one (it is bounded by
    "<" and ">", its words short). So they are looked for in each run alone, one shape after another:
    what the whole text would give, for one pass over it where each shape's look-behind was tried at
    every one of its positions (three passes of some 10 ms over a 400 kB report, at each end of a run
    four reports). A run that recurs (a report repeats its words) is redacted once."""
    for pattern, kind, bits, literal in _SHAPES[:_WHOLE_TEXT_SHAPES]:
        if literal in text:
            text = pattern.sub(functools.partial(_redacted, kind=kind, bits=bits), text)
    in_runs = _SHAPES[_WHOLE_TEXT_SHAPES:]
    done: dict[str, str] = {}

    def in_run(run: re.Match[str]) -> str:
        found = run.group()
        if found not in done:
            redacted = found
            for pattern, kind, bits, literal in in_runs:
                if literal in redacted:
                    redacted = pattern.sub(functools.partial(_redacted, kind=kind, bits=bits), redacted)
            done[found] = redacted
        return done[found]

    return _LONG_RUN.sub(in_run, text) if in_runs else text


def _redacted(match: re.Match[str], *, kind: str, bits: int) -> str:
    found = match.group()
    if not _looks_secret(found, bits):
        return found
    return f"<redacted: {len(found)} characters shaped like {kind}>"


def forget_secrets() -> None:
    with _lock:
        _seen.clear()
        _by_prefix.clear()
        _short.clear()
        _first_seen.clear()
        _spelled_with.clear()
        _runs.clear()
