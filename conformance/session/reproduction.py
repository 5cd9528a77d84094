"""A finding's reproduction: the calls that showed it, as a short boto3 script that can be run again.

Why the whole sequence: most findings need what came before the call that went wrong (a user, a device
enabled with codes from its seed, a delete), and the names the run used are gone by the time anyone
reads the report. So the script replays every call of the observation, in order, with:

- fresh names: the run's unique token in a name or path (``phone-u12``) gets a random part that is new
  at each run of the script (``fresh``), and a valid create without one gets ``fresh`` appended where the
  serial number has room; a member an invalid request breaks is sent exactly as it was (its token, if
  any, lies in another member);
- references, not copies: the serial of a device the script created is read from that create's answer,
  a user's name from the variable the script created it under, a page's Marker from the page before;
- codes computed, never pasted: a TOTP code is a secret while it is valid, so the script computes it from
  the seed of the device it created (`conformance.session.totp.TotpCode` says which step, and whether
  the digits were shifted to make it wrong);
- every answer printed, none raised: a refusal the sequence expects does not end the script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance.session.calls import ApiCall
from conformance.session.totp import TOTP_STEP, WRONG_SHIFT, TotpCode
from strategies.serials import serial_room

__all__ = ["FRESH_LENGTH", "reproduction"]

FRESH_LENGTH = 4  # hex digits of the script's fresh part: new names at each run
# The run's unique token (SuiteSession.unique_token) where the suite put it: after "-" or "/", before
# the end, "-" or "/".
_TOKEN = re.compile(r"(?<=[-/])u\d+(?=$|[-/])")
_SECRETS = ("ResponseMetadata", "Base32StringSeed", "QRCodePNG")

_SEND = f"""\
def send(client, operation, **params):  # prints the answer; an error answer is printed, not raised
    try:
        answer = getattr(client, operation)(**params)
    except ClientError as error:
        answer = error.response
        print(operation, '->', answer['ResponseMetadata'].get('HTTPStatusCode'), answer['Error'])
        return {{}}
    except BotoCoreError as error:
        print(operation, '->', error)
        return {{}}
    print(operation, '-> 200', shown(answer))
    return answer


def shown(value):  # an answer without its metadata and secrets
    if isinstance(value, dict):
        return {{key: shown(item) for key, item in value.items() if key not in {_SECRETS!r}}}
    return [shown(item) for item in value] if isinstance(value, list) else value
"""
_CODE = f"""

def code(device, step=0, wrong=False):  # the TOTP code of the current 30-second step + step
    text = pyotp.TOTP(device['Base32StringSeed'].decode()).at(time.time() + {TOTP_STEP} * step)
    return ''.join(str((int(digit) + {WRONG_SHIFT}) % 10) for digit in text) if wrong else text
"""


@dataclass
class _Script:
    """The script being written: its lines, and the names, devices and pages it has made so far."""

    lines: list[str] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # a created user's name -> its variable
    devices: list[tuple[str, str]] = field(default_factory=list)  # (":mfa<path><name>", variable)
    previous: ApiCall | None = None
    uses_raw: bool = False
    uses_code: bool = False

    def string(self, text: str) -> str:
        """``text`` as an expression: created users by their variable, the run's tokens made fresh."""
        names = sorted(self.users, key=len, reverse=True)
        pattern = "|".join([*(re.escape(name) for name in names), _TOKEN.pattern])
        parts: list[str] = []
        literal, start = "", 0
        for match in re.finditer(pattern, text):
            literal += text[start : match.start()]
            start = match.end()
            if match[0] in self.users:
                parts += [repr(literal)] if literal else []
                parts.append(self.users[match[0]])
                literal = ""
            else:  # a token: a fresh part before it
                parts += [repr(literal)] if literal else []
                parts.append("fresh")
                literal = match[0]
        literal += text[start:]
        parts += [repr(literal)] if literal or not parts else []
        return " + ".join(parts)

    def value(self, value: Any) -> str:
        if isinstance(value, str) and not isinstance(value, TotpCode):
            return self.string(value)
        if isinstance(value, Mapping):
            return "{" + ", ".join(f"{key!r}: {self.value(item)}" for key, item in value.items()) + "}"
        if isinstance(value, list | tuple):
            return "[" + ", ".join(self.value(item) for item in value) + "]"
        return repr(value)

    def device_of(self, serial: object) -> str | None:
        """The variable of the created device ``serial`` names (the latest such create)."""
        if not isinstance(serial, str):
            return None
        for tail, variable in reversed(self.devices):
            if serial.endswith(tail):
                return variable
        return None


def _appends_fresh(call: ApiCall) -> bool:
    """Whether a create's name gets ``fresh`` appended: a valid request without the run's token, whose
    serial number has room for it (`strategies.serials.serial_room`)."""
    name, path = call.params.get("VirtualMFADeviceName"), str(call.params.get("Path", "/"))
    if not (call.validated and isinstance(name, str)) or _TOKEN.search(name) or _TOKEN.search(path):
        return False
    return len(path) + len(name) + FRESH_LENGTH <= serial_room()


def _arguments(script: _Script, call: ApiCall, values: Mapping[str, str]) -> str:
    shown = []
    for member, value in call.params.items():
        shown.append(f"{member}={values.get(member) or script.value(value)}")
    client = "iam" if call.validated else "raw"
    script.uses_raw |= not call.validated
    return ", ".join([client, repr(call.operation), *shown])


def _special(script: _Script, call: ApiCall) -> dict[str, str]:
    """Members rendered as references: serials of created devices, computed codes, a page's Marker."""
    values: dict[str, str] = {}
    device = script.device_of(call.params.get("SerialNumber"))
    if device is not None:
        values["SerialNumber"] = f"{device}.get('SerialNumber')"
    for member, value in call.params.items():
        if isinstance(value, TotpCode):
            script.uses_code = True
            owner = device or (script.devices[-1][1] if script.devices else None)
            wrong = ", wrong=True" if value.wrong else ""
            values[member] = f"code({owner}, {value.step}{wrong})" if owner else "'000000'"
    previous = script.previous
    if (
        "Marker" in call.params
        and previous is not None
        and previous.operation == call.operation
        and {k: v for k, v in previous.params.items() if k != "Marker"}
        == {k: v for k, v in call.params.items() if k != "Marker"}
    ):
        values["Marker"] = "page.get('Marker')"
    return values


def _line(script: _Script, call: ApiCall) -> str:
    values = _special(script, call)
    if call.operation == "create_user" and isinstance(call.params.get("UserName"), str):
        name = str(call.params["UserName"])
        variable = f"user{len(script.users) + 1}"
        script.lines.append(f"{variable} = {script.string(name)}")
        script.users[name] = variable
        return f"send({_arguments(script, call, values)})"
    if call.operation == "create_virtual_mfa_device":
        if _appends_fresh(call):
            values["VirtualMFADeviceName"] = (
                f"{script.string(str(call.params['VirtualMFADeviceName']))} + fresh"
            )
        variable = f"device{len(script.devices) + 1}"
        tail = f":mfa{call.params.get('Path', '/')}{call.params.get('VirtualMFADeviceName', '')}"
        line = f"{variable} = send({_arguments(script, call, values)}).get('VirtualMFADevice', {{}})"
        script.devices.append((tail, variable))
        return line
    if call.operation.startswith("list_"):
        return f"page = send({_arguments(script, call, values)})"
    return f"send({_arguments(script, call, values)})"


def reproduction(calls: Sequence[ApiCall]) -> str:
    """The boto3 script that sends ``calls`` again (a call repeated at once, a polled read, once)."""
    if not calls:
        return ""
    script = _Script()
    for call in calls:
        if script.previous is not None and (script.previous.operation, script.previous.params) == (
            call.operation,
            call.params,
        ):
            continue
        script.lines.append(_line(script, call))
        script.previous = call
    first = calls[0]
    imports = [*(["import time"] if script.uses_code else []), "import uuid", ""]
    emulated = first.endpoint_url is not None
    # An endpoint URL is an emulator, sent the suite's fixed dummy credentials (conformance.session.targets)
    credentials = ", aws_access_key_id='testing', aws_secret_access_key='testing'" if emulated else ""
    client = f"boto3.client('iam', region_name=REGION, endpoint_url=ENDPOINT{credentials}"
    clients = [
        f"ENDPOINT, REGION = {first.endpoint_url!r}, {first.region!r}"
        + ("" if emulated else "  # None: boto3's default endpoint, which is AWS itself"),
        f"fresh = uuid.uuid4().hex[:{FRESH_LENGTH}]  # new names at each run of the script",
        f"iam = {client})",
    ]
    if script.uses_raw:
        clients.append(
            f"raw = {client}, config=Config(parameter_validation=False))  # invalid values reach the endpoint"
        )
    head = [
        *imports,
        "import boto3",
        *(["import pyotp"] if script.uses_code else []),
        *(["from botocore.config import Config"] if script.uses_raw else []),
        "from botocore.exceptions import BotoCoreError, ClientError",
        "",
        *clients,
        "",
        "",
        "def reproduce():",
    ]
    helpers = _SEND + (_CODE if script.uses_code else "")
    body = "\n".join(f"    {line}" for line in script.lines)
    return "\n".join(head) + "\n" + body + "\n\n\n" + helpers + "\n\nreproduce()\n"
