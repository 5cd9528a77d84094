"""Secrets never leave memory: every printable form of a `Secret` is redacted, and scrub() catches
the spellings a secret could take in text (raw, base64, decoded hex)."""

from __future__ import annotations

import base64
import functools
import os
import pickle
from unittest import mock

import botocore.session
import pytest
from botocore.parsers import ResponseParserError, create_parser
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conformance.session import secrets as secrets_module
from conformance.session.secrets import Secret, describe_secret, forget_secrets, mask, redact_shapes, scrub

SEED = b"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_secret_reprs_are_redacted() -> None:
    secret = Secret(SEED)
    for text in (repr(secret), str(secret), f"{secret}", f"{[secret]}"):
        assert SEED.decode() not in text
        assert "64 bytes" in text and "base32 alphabet" in text


def test_secret_refuses_pickling() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(SEED))


def test_description_tells_values_apart_without_showing_them() -> None:
    other = SEED[:-1] + b"A"
    assert describe_secret(SEED) != describe_secret(other)
    assert describe_secret(b"\x89PNG\r\n\x1a\nrest").count("PNG signature") == 1
    assert "binary" in describe_secret(bytes(range(200, 256)))


@pytest.mark.parametrize(
    "spelling",
    [SEED.decode(), base64.b64encode(SEED).decode(), base64.b32decode(SEED).hex()],
    ids=["raw", "base64", "decoded-hex"],
)
def test_scrub_replaces_every_spelling_of_a_seen_secret(spelling: str) -> None:
    Secret(SEED)
    scrubbed = scrub(f"message with {spelling} inside")
    assert spelling not in scrubbed
    assert "<redacted: 64 bytes" in scrubbed


def test_forget_secrets_empties_the_memory() -> None:
    unshaped = b"a secret of no secret's shape"  # a seed's shape is redacted whether seen or not
    Secret(unshaped)
    assert scrub(unshaped.decode()) != unshaped.decode()
    forget_secrets()
    assert scrub(unshaped.decode()) == unshaped.decode()


# A create answer as an endpoint sends it, with a seed and a QR image the run never parsed.
_UNSEEN_SEED = base64.b32encode(os.urandom(40)).decode()
_UNSEEN_PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(300)).decode()
_CREATE_BODY = (
    '<CreateVirtualMFADeviceResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
    "<CreateVirtualMFADeviceResult><VirtualMFADevice>"
    "<SerialNumber>arn:aws:iam::123456789012:mfa/canary</SerialNumber>"
    f"<Base32StringSeed>{_UNSEEN_SEED}</Base32StringSeed><QRCodePNG>{_UNSEEN_PNG}</QRCodePNG>"
    "</VirtualMFADevice></CreateVirtualMFADeviceResult>"
)


@pytest.mark.parametrize(
    "garbled",
    [
        _CREATE_BODY[:-40].encode(),  # cut short: invalid XML
        _CREATE_BODY.replace("</QRCodePNG>", "</QRCode>").encode(),  # a mismatched tag
        b"\x00\xff" + _CREATE_BODY.encode(),  # bytes before the document
        _CREATE_BODY.encode() + b"<<trailing",
    ],
    ids=["truncated", "mismatched-tag", "leading-bytes", "trailing-junk"],
)
def test_botocore_parse_errors_quote_the_raw_body_and_scrub_redacts_what_it_never_saw(garbled: bytes) -> None:
    """The canary: botocore's parse error quotes the raw body, seeds and images the run never parsed
    (a garbled answer); its text is redacted by shape before it can reach a terminal or a report."""
    forget_secrets()
    model = botocore.session.get_session().get_service_model("iam")
    shape = model.operation_model("CreateVirtualMFADevice").output_shape
    response = {"body": garbled, "status_code": 200, "headers": {"content-type": "text/xml"}}
    with pytest.raises(ResponseParserError) as raised:
        create_parser("query").parse(response, shape)
    text = str(raised.value)
    assert _UNSEEN_SEED in text or _UNSEEN_SEED[:40] in text  # it does quote the body
    scrubbed = scrub(text)
    for fragment in (_UNSEEN_SEED[:16], _UNSEEN_PNG[:16], _UNSEEN_PNG[-40:-8]):
        assert fragment not in scrubbed, scrubbed
    assert "shaped like a base32 seed" in scrubbed
    assert "arn:aws:iam::123456789012:mfa/canary" in scrubbed  # the rest is kept, to read


def test_shapes_no_secret_has_are_kept() -> None:
    text = (
        "vmfa.create.invalid.rejected [path.length.max]: HTTP 400 ValidationError, NOT_IMPLEMENTED, "
        "request 6f1c2a3e-1234-4bcd-9abc-0123456789ab, sha256 1234abcd, LLLLLLLLLLLLLLLLLLLLLLLL"
    )
    assert scrub(text) == text


def _scrub_every_spelling(text: str, seen: dict[str, str]) -> str:
    """What `scrub` does before its shapes, the plain way: every spelling looked for, longest first."""
    for spelling, description in sorted(seen.items(), key=lambda item: len(item[0]), reverse=True):
        if spelling in text:
            text = text.replace(spelling, description)
    return text


@given(
    st.lists(st.tuples(st.text("ab", min_size=1, max_size=8), st.text("ab", max_size=8)), max_size=10),
    st.lists(st.integers(0, 9), max_size=6),
    st.text("ab ", max_size=12),
)
@example([("aaaaaaaa", "bbbbbbb"), ("bbbbbbb", "c")], [0], "")  # a replacement makes a longer spelling
@settings(max_examples=500, database=None)
def test_scrub_looks_only_where_a_spelling_may_be_and_finds_the_same(
    secrets: list[tuple[str, str]], picks: list[int], filler: str
) -> None:
    """`scrub` searches a text only for the spellings whose first characters it holds; it replaces
    exactly what looking for every spelling replaces, also where a replacement makes or breaks another
    (spellings and what replaces them share a two-letter alphabet, so that they often do)."""
    forget_secrets()
    seen: dict[str, str] = {}
    for spelling, shown in secrets:
        mask(spelling, shown)  # scrub's own memory, as a seen secret's spellings enter it
        seen[spelling] = shown
    text = filler.join(secrets[pick % len(secrets)][0] for pick in picks) if secrets else filler
    try:
        assert scrub(text) == redact_shapes(_scrub_every_spelling(text, seen))
    finally:
        forget_secrets()


_FRAGMENTS = [
    "PNG",
    "\x89",
    "\\x89",
    "iVBORw0KGgo",
    _UNSEEN_PNG[:80],
    _UNSEEN_SEED,
    os.urandom(20).hex(),
    base64.b64encode(os.urandom(60)).decode(),
    "=",
    "\n",
    " ",
    "\\n",
    "ab",
]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12))
@example(["\x89", "PNG", " ", "iVBORw0KGgo", _UNSEEN_PNG[:80]])  # each literal, and what it starts
@example([" ", "iVBORw0KGgo", "\\x89", "PNG", "\n", _UNSEEN_SEED])  # a PNG's run takes the line's rest
@settings(max_examples=300, database=None)
def test_shapes_skip_a_text_without_their_literal_and_redact_the_same(parts: list[str]) -> None:
    """A shape whose literal a text lacks is not searched for: what is redacted is what searching for
    every shape redacts, also where an earlier shape's redaction removes or leaves a later one's literal."""
    text = "".join(parts)
    every = tuple((pattern, kind, bits, "") for pattern, kind, bits, _ in secrets_module._SHAPES)
    with mock.patch.object(secrets_module, "_SHAPES", every):
        expected = redact_shapes(text)
    assert redact_shapes(text) == expected


def _redact_over_the_whole_text(text: str) -> str:
    """What `redact_shapes` does, the plain way: each shape searched for over the whole text."""
    for pattern, kind, bits, _ in secrets_module._SHAPES:
        text = pattern.sub(functools.partial(secrets_module._redacted, kind=kind, bits=bits), text)
    return text


_RUN_FRAGMENTS = [
    *_FRAGMENTS,
    _UNSEEN_SEED[:20],
    "AAAAAAAAAAAAAAAAAAAA",  # a run that does not look random: kept
    "+",
    "/",
    "==",
    "<",
    ">",
    "Z7",
]


@given(st.lists(st.sampled_from(_RUN_FRAGMENTS), max_size=14))
@example([_UNSEEN_SEED[:20], "+", _UNSEEN_SEED, "/", base64.b64encode(os.urandom(60)).decode()])  # one run
@example(["ab", _UNSEEN_SEED, "==", "ab"])  # a seed inside a longer run of letters: not a seed's shape
@example(["<", _UNSEEN_SEED, ">", _UNSEEN_SEED, "<"])  # a run that recurs, between other neighbours
@settings(max_examples=500, database=None)
def test_shapes_are_looked_for_in_long_runs_alone_and_redact_the_same(parts: list[str]) -> None:
    """The base32, hex and base64 shapes are searched for only in the runs of their alphabet, each run
    alone (`redact_shapes`): what they redact is what searching the whole text redacts, also where runs
    meet at "+", "/" or "=", recur, or follow a PNG's redaction."""
    text = "".join(parts)
    assert redact_shapes(text) == _redact_over_the_whole_text(text)
