"""The secret material a new virtual MFA device hands out: the base32 seed and its QR code.

CreateVirtualMFADevice documents ``Base32StringSeed`` as the seed in base32 (RFC 3548/4648) and
``QRCodePNG`` as a PNG of ``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``;
real AWS uses a 40-byte seed (64 base32 characters, no padding since 40 is a multiple of 5).
Nothing here logs, prints or keeps these values: the caller stores the seed only to verify codes.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
import urllib.parse
from dataclasses import dataclass

import segno
from PIL import Image

from .mutants import Rules

__all__ = ["Issued", "issue"]


@dataclass(frozen=True)
class Issued:
    """What one create returns, and the seed the endpoint verifies codes with."""

    secret: str  # the real base32 seed, used for TOTP verification
    seed_text: str  # what Base32StringSeed carries (equal to ``secret`` unless a mutant breaks it)
    qr_png: bytes

    def __repr__(self) -> str:
        return "Issued(<redacted>)"


def _new_seed(size: int) -> str:
    return base64.b32encode(secrets.token_bytes(size)).decode("ascii").rstrip("=")


# The faint mutant's dark modules: 16 grey levels below white. zxing-cpp's binarizer (like ZXing's
# HybridBinarizer) treats a block with less contrast than its minimum dynamic range as blank, while zbar
# still thresholds it; measured with libzbar 0.23.92 and zxing-cpp 3.1.1: 16 levels is read by zbar alone,
# 24 by both, 6 by neither.
_FAINT_GREY = (239, 239, 239)


def _otpauth_uri(rules: Rules, name: str, account_id: str, secret: str) -> str:
    # Key Uri Format: the label is percent-encoded; '@' separates the name from the account here.
    label = f"{name}@{account_id}" if rules.qr_label_has_account else name
    uri = f"otpauth://{rules.qr_otp_type}/{urllib.parse.quote(label, safe='@')}?secret={secret}"
    if rules.qr_digits is not None:
        uri += f"&digits={rules.qr_digits}"
    uri += "&issuer=AWS" * rules.qr_issuer_parameters
    return uri


def _png(uri: str, symbols: int = 1, full_contrast: bool = True) -> bytes:
    buffer = io.BytesIO()
    colours = {} if full_contrast else {"dark": _FAINT_GREY}
    # scale 4 keeps modules several pixels wide so decoders (zbar) read it reliably.
    segno.make(uri, micro=False, error="m").save(buffer, kind="png", scale=4, **colours)
    if symbols == 1:
        return buffer.getvalue()
    with Image.open(io.BytesIO(buffer.getvalue())) as tile:
        sheet = Image.new("L", (tile.width * symbols, tile.height), 255)
        for index in range(symbols):
            sheet.paste(tile, (index * tile.width, 0))
    combined = io.BytesIO()
    sheet.save(combined, format="PNG")
    return combined.getvalue()


def _break_alphabet(seed: str) -> str:
    # '1', '8', '0' and '9' are not in the RFC 4648 base32 alphabet (A-Z, 2-7).
    return "1" + seed[1:]


def issue(rules: Rules, name: str, account_id: str) -> Issued:
    """A fresh seed and QR code for device ``name`` of ``account_id``."""
    secret = _new_seed(rules.seed_bytes)
    if rules.seed_encoding == "hex":  # the mutant: what the client gets cannot make a single code
        return Issued(secret=secret, seed_text=secrets.token_hex(16).upper(), qr_png=b"QR")
    seed_text = secret if rules.seed_alphabet_valid else _break_alphabet(secret)
    qr_secret = seed_text if rules.qr_secret_matches_seed else _new_seed(rules.seed_bytes)
    uri = _otpauth_uri(rules, name, account_id, qr_secret)
    qr_png = _png(uri, rules.qr_symbols, rules.qr_full_contrast) if rules.qr_is_png else os.urandom(512)
    return Issued(secret=secret, seed_text=seed_text, qr_png=qr_png)
