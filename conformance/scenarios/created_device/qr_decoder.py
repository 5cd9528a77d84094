"""Decode a QRCodePNG and parse the ``otpauth://`` URI it carries, keeping the secret wrapped.

The URI format is Google Authenticator's Key Uri Format
(https://github.com/google/google-authenticator/wiki/Key-Uri-Format), which the IAM API reference
instantiates as ``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``. The decoded
text holds the seed, so it is parsed at once and only the `OtpAuthUri`, whose ``secret`` is a `Secret`,
is kept.

Two independent decoders read the image: zbar (pyzbar), which every QR check relies on, and zxing-cpp,
the C++ port of ZXing, the decoder family most phone scanner apps are built on. `decode_qr_png_zxing`
exists only for the cross-check; both see the same luminance image, so a disagreement is the decoders'.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import zxingcpp
from PIL import Image, UnidentifiedImageError
from pyzbar import pyzbar

from conformance.session.secrets import Secret

__all__ = [
    "PNG_SIGNATURE",
    "OtpAuthUri",
    "QrImage",
    "decode_qr_png",
    "decode_qr_png_zxing",
    "parse_otpauth_uri",
]

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
    """What Pillow and zbar make of ``png``. Bytes without the PNG signature are not handed to Pillow:
    no check judges them further than "no PNG signature" (an image is `QrImage.loaded` only with it),
    and Pillow, when none of its five common formats takes the bytes, imports every one of its some 40
    format plugins (90 modules, 0.09 s of CPU) to try them all: once per run against an endpoint whose
    QRCodePNG is random bytes (moto's), for nothing."""
    signature = png.startswith(PNG_SIGNATURE)
    if not signature:
        return QrImage(signature, "not tried without a PNG signature", ())
    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            symbols = tuple(
                Secret(symbol.data) for symbol in pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE])
            )
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        return QrImage(signature, f"{type(error).__name__}", ())
    return QrImage(signature, None, symbols)


def decode_qr_png_zxing(png: bytes) -> tuple[Secret, ...] | None:
    """The payloads zxing-cpp reads in the PNG, or None if Pillow cannot load it.

    The image is handed over as 8-bit luminance, as pyzbar hands it to zbar. Only QR Code model 2 is
    read: the symbology zbar's ``QRCODE`` decodes, and the one ZXing-based phone apps scan (zxing-cpp's
    ``QRCode`` would add Micro QR and rMQR). A payload is zxing's text as UTF-8 (``TextMode.Plain``:
    transcoded by ECI or a guessed charset, as zbar transcodes), so the two are compared like for like.
    """
    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
            barcodes = zxingcpp.read_barcodes(
                image.convert("L"),
                formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCodeModel2),
                text_mode=zxingcpp.TextMode.Plain,
            )
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    return tuple(Secret(barcode.text.encode("utf-8")) for barcode in barcodes)


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
        # The Key Uri Format percent-encodes the label; it is compared decoded ("alice%40..." is "alice@...").
        label=unquote(parts.path.lstrip("/")),
        parameters=tuple((key, value) for key, value in pairs if key != "secret"),
        secret=Secret(secrets[0].encode("utf-8")) if secrets else None,
        secret_count=len(secrets),
        raw=payload,
    )
