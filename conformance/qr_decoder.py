"""Decode a QRCodePNG and parse the ``otpauth://`` URI it carries, keeping the secret wrapped.

The URI format is Google Authenticator's Key Uri Format, which the IAM API reference cites as
``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``. The decoded text holds
the seed, so it is parsed at once and only the `OtpAuthUri`, whose ``secret`` is a `Secret`, is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from PIL import Image, UnidentifiedImageError
from pyzbar import pyzbar

from conformance.redaction import Secret

__all__ = ["PNG_SIGNATURE", "OtpAuthUri", "QrImage", "decode_qr_png", "parse_otpauth_uri"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"  # RFC 2083, section 3.1


@dataclass(frozen=True)
class OtpAuthUri:
    scheme: str
    type: str  # the URI's host part: "totp" or "hotp"
    label: str  # percent-decoded
    parameters: tuple[tuple[str, str], ...]  # every query parameter but the secret, in order
    secret: Secret | None
    secret_count: int  # how many "secret" parameters the URI has (exactly one is expected)
    raw: Secret  # the whole URI, for handing to another parser (pyotp); never printed

    def redacted(self) -> str:
        """The URI as text with the secret replaced by its redacted description."""
        query = "&".join(f"{key}={value}" for key, value in self.parameters)
        secret = f"secret={self.secret!r}" if self.secret is not None else "no secret"
        return f"{self.scheme}://{self.type}/{self.label}?{secret}{'&' + query if query else ''}"


@dataclass(frozen=True)
class QrImage:
    """What could be made of the PNG bytes."""

    has_png_signature: bool
    load_error: str | None  # why Pillow could not load it, if it could not
    symbols: tuple[Secret, ...]  # decoded QR symbols' payloads

    @property
    def loaded(self) -> bool:
        return self.has_png_signature and self.load_error is None


def decode_qr_png(png: bytes) -> QrImage:
    signature = png.startswith(PNG_SIGNATURE)
    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            symbols = tuple(
                Secret(symbol.data) for symbol in pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE])
            )
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        return QrImage(signature, f"{type(error).__name__}", ())
    return QrImage(signature, None, symbols)


def parse_otpauth_uri(payload: Secret) -> OtpAuthUri | str:
    """The parsed URI, or a sentence saying why the payload is not one (without the payload)."""
    try:
        text = payload.reveal().decode("utf-8")
    except UnicodeDecodeError:
        return "the QR payload is not UTF-8 text"
    parts = urlsplit(text)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    secrets = [value for key, value in pairs if key == "secret"]
    return OtpAuthUri(
        scheme=parts.scheme,
        type=parts.netloc,
        label=unquote(parts.path.lstrip("/")),
        parameters=tuple((key, value) for key, value in pairs if key != "secret"),
        secret=Secret(secrets[0].encode("utf-8")) if secrets else None,
        secret_count=len(secrets),
        raw=payload,
    )
