"""Checks on ``QRCodePNG``: a PNG holding one QR code whose otpauth URI carries the device's seed.

Each check judges one rule and, where an earlier rule does not hold (no PNG, no symbol), it does not
judge at all (`Skip`), so that one broken image is reported once, by the check it breaks. The finer
rules of the URI itself (label, OTP parameters, a second parser) are in
`conformance.scenarios.created_device.otpauth`, built on `otpauth_uri` here.
"""

from __future__ import annotations

from conformance.judging.outcomes import Miss, Outcome, Pass, Skip
from conformance.judging.registry import check
from conformance.scenarios.created_device import CREATED
from conformance.scenarios.created_device.qr_decoder import (
    OtpAuthUri,
    QrImage,
    decode_qr_png,
    decode_qr_png_zxing,
    parse_otpauth_uri,
)
from conformance.scenarios.created_device.seed import normalised_base32
from conformance.session.devices import CreatedDevice
from conformance.session.secrets import Secret, describe_secret
from reports.model import Evidence

__all__ = [
    "otpauth_uri",
    "qr_decoders_agree",
    "qr_is_png",
    "qr_is_totp_uri",
    "qr_secret_matches_seed",
    "qr_single_symbol",
]

_OPERATION = "CreateVirtualMFADevice"
_CLAUSE = "CreateVirtualMFADevice: VirtualMFADevice.QRCodePNG"


def _image(device: CreatedDevice) -> QrImage | Skip:
    if device.qr_png is None:
        return Skip("the response has no QRCodePNG")
    image = decode_qr_png(device.qr_png.reveal())
    return image if image.loaded else Skip("QRCodePNG is not a loadable PNG (vmfa.create.qr.png)")


def otpauth_uri(device: CreatedDevice) -> OtpAuthUri | Skip:
    """The URI in the one QR symbol, or why there is none to judge (the check that judges it named)."""
    image = _image(device)
    if isinstance(image, Skip):
        return image
    if len(image.symbols) != 1:
        return Skip("QRCodePNG does not hold exactly one QR symbol (vmfa.create.qr.single-symbol)")
    uri = parse_otpauth_uri(image.symbols[0])
    return Skip(uri) if isinstance(uri, str) else uri


@check(
    id="vmfa.create.qr.png",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def qr_is_png(device: CreatedDevice) -> Outcome:
    """QRCodePNG is a PNG image (signature and a loadable image)."""
    if device.qr_png is None:
        return Miss("a QRCodePNG member", "no QRCodePNG in the response")
    image = decode_qr_png(device.qr_png.reveal())
    if image.loaded:
        return Pass()
    problem = (
        "no PNG signature" if not image.has_png_signature else f"Pillow cannot load it ({image.load_error})"
    )
    return Miss("a PNG image that Pillow can load", f"{problem}: {describe_secret(device.qr_png.reveal())}")


@check(
    id="vmfa.create.qr.single-symbol",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def qr_single_symbol(device: CreatedDevice) -> Outcome:
    """The PNG holds exactly one QR code, decodable with zbar."""
    image = _image(device)
    if isinstance(image, Skip):
        return image
    if len(image.symbols) == 1:
        return Pass()
    return Miss("exactly one QR symbol", f"{len(image.symbols)} QR symbols decoded")


@check(
    id="vmfa.create.qr.otpauth-totp",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def qr_is_totp_uri(device: CreatedDevice) -> Outcome:
    """The QR code holds an otpauth://totp/ URI."""
    uri = otpauth_uri(device)
    if isinstance(uri, Skip):
        return uri
    if (uri.scheme, uri.type) == ("otpauth", "totp"):
        return Pass()
    return Miss("a URI of the form otpauth://totp/<label>?secret=...", uri.redacted())


@check(
    id="vmfa.create.qr.secret-matches-seed",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def qr_secret_matches_seed(device: CreatedDevice) -> Outcome:
    """The URI's secret parameter is the device's Base32StringSeed."""
    uri = otpauth_uri(device)
    if isinstance(uri, Skip):
        return uri
    if device.seed is None:
        return Skip("the response has no Base32StringSeed")
    if uri.secret is None or uri.secret_count != 1:
        return Miss("exactly one secret parameter", f"{uri.secret_count} secret parameters")
    if normalised_base32(uri.secret.reveal()) == normalised_base32(device.seed.reveal()):
        return Pass()
    return Miss(
        f"secret equal to the seed {describe_secret(device.seed.reveal())}",
        f"secret {describe_secret(uri.secret.reveal())}",
    )


@check(
    id="vmfa.create.qr.zxing-agrees",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.OBSERVED,
)
def qr_decoders_agree(device: CreatedDevice) -> Outcome:
    """zxing-cpp reads the same QR symbols as zbar (phone scanner apps are ZXing-family decoders)."""
    image = _image(device)
    if isinstance(image, Skip):
        return image
    png = device.qr_png.reveal() if device.qr_png is not None else b""  # present: _image skips otherwise
    zxing = decode_qr_png_zxing(png)
    if zxing is None:  # Pillow loaded it a moment ago: not the PNG's fault, and not a verdict
        return Skip("Pillow could not load QRCodePNG for zxing-cpp")
    # Compared in memory as multisets; the payloads hold the seed and are only ever described.
    if sorted(symbol.reveal() for symbol in image.symbols) == sorted(symbol.reveal() for symbol in zxing):
        return Pass()
    return Miss(
        "zbar and zxing-cpp read the same QR symbols (AWS's QR codes scan with both)",
        f"zbar read {_payloads(image.symbols)}; zxing-cpp read {_payloads(zxing)}",
    )


def _payloads(symbols: tuple[Secret, ...]) -> str:
    if not symbols:
        return "no QR symbol"
    described = ", ".join(describe_secret(symbol.reveal()) for symbol in symbols)
    return f"{len(symbols)} QR symbol{'s' if len(symbols) > 1 else ''} ({described})"
