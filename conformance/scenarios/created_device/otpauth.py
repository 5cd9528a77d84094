"""Checks on the ``otpauth://`` URI inside QRCodePNG: its label, its OTP parameters, and a second parser.

The API reference documents the URI as ``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=
$Base32String``, an instance of Google Authenticator's Key Uri Format
(https://github.com/google/google-authenticator/wiki/Key-Uri-Format). Every check here needs a URI to
judge: when the image, the symbol or the URI itself is broken, it skips (`otpauth_uri` says which check
judges the breakage), so one broken QR code is reported once.
"""

from __future__ import annotations

import re

import pyotp

from conformance.judging.outcomes import Info, Miss, Outcome, Pass, Skip
from conformance.judging.registry import check
from conformance.scenarios.created_device import CREATED
from conformance.scenarios.created_device.qr_code import otpauth_uri
from conformance.scenarios.created_device.qr_decoder import OtpAuthUri
from conformance.scenarios.created_device.seed import MIN_SECRET_BYTES, decoded_seed
from conformance.session.devices import CreatedDevice
from reports.model import Evidence

__all__ = ["qr_label", "qr_otp_parameters", "qr_pyotp_parses"]

_OPERATION = "CreateVirtualMFADevice"
_CLAUSE = "CreateVirtualMFADevice: VirtualMFADevice.QRCodePNG (otpauth URI)"
_ACCOUNT_ID = re.compile(r"[0-9]{12}")  # an AWS account ID is 12 digits (IAM identifiers, "ARN" format)

# Key Uri Format: "algorithm ... SHA1 (Default)", "digits ... 6 (Default)", "period ... 30 (Default)".
# The documented URI carries none of them, so a device is SHA1/6/30; and EnableMFADevice takes codes of
# exactly 6 digits (the model's AuthenticationCodeType), so a device that shows any other code is useless.
_OTP_DEFAULTS = {"algorithm": "SHA1", "digits": "6", "period": "30"}

# pyotp's own error messages, which quote nothing of the URI; any other text may, and is withheld.
_PYOTP_MESSAGES = re.compile(
    r"Not an otpauth URI|No secret found in URI|Not a supported OTP type|Digits may only be 6, 7, or 8"
    r"|Duplicate (secret|issuer|algorithm|encoder|digits|period|counter) parameter"
    r"|If issuer is specified in both label and parameters, it should be equal\."
    r"|Invalid value for algorithm, must be SHA1, SHA256 or SHA512|digits must be between 6 and 10"
    r"|interval must be positive and at most 120 seconds|Secrets must be at least 112 bits after decoding"
)


def _otpauth(device: CreatedDevice) -> OtpAuthUri | Skip:
    """The URI, if it is an otpauth one at all: an https URL has no label or OTP parameters to judge."""
    uri = otpauth_uri(device)
    if isinstance(uri, Skip) or uri.scheme == "otpauth":
        return uri
    return Skip("not an otpauth:// URI (vmfa.create.qr.otpauth-totp)")


def _label_matches(device: CreatedDevice, label: str) -> bool:
    """``<name>@<account>``: the account ID (any 12 digits without STS) or one of the account's aliases.

    The name is known, so the label is split at its known length: no ambiguity for the suite, whatever
    ``@`` the name holds.
    """
    prefix = f"{device.name}@"
    if not label.startswith(prefix):
        return False
    account = label[len(prefix) :]
    if account in device.identity.account_aliases:  # "AccountName": the alias may stand for the account
        return True
    if device.identity.account_id is not None:
        return account == device.identity.account_id
    return _ACCOUNT_ID.fullmatch(account) is not None


@check(
    id="vmfa.create.qr.label",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def qr_label(device: CreatedDevice) -> Outcome:
    """The URI's label, percent-decoded, is <name>@<account> (the account ID, or an account alias)."""
    uri = _otpauth(device)
    if isinstance(uri, Skip):
        return uri
    if not _label_matches(device, uri.label):
        account = device.identity.account_id or "<12-digit account>"
        aliases = "".join(f" or {device.name}@{alias}" for alias in device.identity.account_aliases)
        return Miss(f"label {device.name}@{account}{aliases}", f"label {uri.label!r}")
    if "@" in device.name:
        # SPEC-NOTES, known contradictions: a name may hold '@', so a client splitting the label at '@'
        # cannot tell the name from the account. Recorded, never judged.
        return Info(
            f"the name {device.name!r} holds '@', so the label {uri.label!r} is ambiguous to a client "
            "(where does the name end?): the documents allow both"
        )
    return Pass()


@check(
    id="vmfa.create.qr.otp-parameters",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.DOCUMENTED,
)
def qr_otp_parameters(device: CreatedDevice) -> Outcome:
    """Any algorithm, digits or period parameter says SHA1, 6, 30: the only TOTP that AWS accepts codes of."""
    uri = _otpauth(device)
    if isinstance(uri, Skip):
        return uri
    wrong = [
        f"{key}={value}"
        for key, value in uri.parameters
        if key in _OTP_DEFAULTS and not _means(key, value, _OTP_DEFAULTS[key])
    ]
    if not wrong:
        return Pass()
    expected = ", ".join(f"{key}={value}" for key, value in _OTP_DEFAULTS.items())
    return Miss(f"no such parameter, or {expected}", ", ".join(wrong))


def _means(key: str, value: str, default: str) -> bool:
    """Whether ``value`` says the default: by meaning, so that 'sha1' or '06' is left to the parser check."""
    if key == "algorithm":
        return value.upper() == default
    return value.isdigit() and int(value) == int(default)


@check(
    id="vmfa.create.qr.pyotp-parses",
    operation=_OPERATION,
    scenario=CREATED,
    clause=_CLAUSE,
    evidence=Evidence.OBSERVED,
)
def qr_pyotp_parses(device: CreatedDevice) -> Outcome:
    """pyotp, an independent Key Uri Format parser, accepts the URI (as it accepts AWS's)."""
    uri = otpauth_uri(device)
    if isinstance(uri, Skip):
        return uri
    # pyotp refuses what other checks already judge; those cases are theirs, not a second report here.
    if (uri.scheme, uri.type) != ("otpauth", "totp"):
        return Skip("not an otpauth://totp/ URI (vmfa.create.qr.otpauth-totp)")
    if uri.secret is None or uri.secret_count != 1:
        return Skip("not exactly one secret parameter (vmfa.create.qr.secret-matches-seed)")
    secret = decoded_seed(uri.secret.reveal().upper())  # case aside, as strict as vmfa.create.seed.base32
    if secret is None or len(secret) < MIN_SECRET_BYTES:  # pyotp refuses secrets under 112 bits
        return Skip("the URI's secret is not base32 of at least 128 bits (vmfa.create.seed.*)")
    try:
        pyotp.parse_uri(uri.raw.reveal().decode("utf-8"))
    except Exception as error:  # whatever pyotp raises, it did not parse the URI: that is the finding
        return Miss("a URI that pyotp.parse_uri accepts", f"{_type_name(error)}: {_safe_message(error)}")
    return Pass()


def _type_name(error: Exception) -> str:
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _safe_message(error: Exception) -> str:
    """pyotp's message if it is one of its fixed texts; never a text that may quote the URI."""
    message = str(error)
    if _PYOTP_MESSAGES.fullmatch(message):
        return message
    if message.startswith("invalid literal for int()"):
        return "a numeric parameter (digits, period or counter) is not an integer"
    return "(message withheld: it may quote the URI, which holds the secret)"
