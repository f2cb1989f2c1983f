"""One exception tree for the whole contract.

::

    SpacelinkError
    ├── PacketError              bytes that are not a valid packet of ours
    │   ├── CrcError             the CRC-16/CCITT-FALSE does not match
    │   └── MalformedPacketError too short, wrong version, wrong type, bad length
    ├── FramingError             a serial frame that is not valid COBS or is too long
    ├── DictionaryError          a request the dictionary does not allow
    │   ├── UnknownCommandError  no command of that name or function id
    │   └── ArgumentError        an argument missing, unknown, of the wrong type or out of range
    ├── ClockError               a mission clock that cannot be built or parsed
    ├── ControlMessageError      a control message (link state, presence, ...) we cannot read
    ├── LightTimeError           a light-time model that cannot be built or evaluated
    └── LinkError                an I/O link is unavailable (raised by the I/O shells)
        ├── BrokerUnavailableError  the MQTT broker cannot be reached or refuses us
        └── SerialPortError         the serial device cannot be opened or vanished
"""

from __future__ import annotations


class SpacelinkError(Exception):
    """Root of every error raised by :mod:`spacelink`."""


class PacketError(SpacelinkError):
    """Bytes that are not a valid packet."""


class CrcError(PacketError):
    def __init__(self, expected: int, found: int) -> None:
        super().__init__(f"CRC mismatch: computed {expected:#06x}, packet carries {found:#06x}")
        self.expected = expected
        self.found = found


class MalformedPacketError(PacketError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FramingError(SpacelinkError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DictionaryError(SpacelinkError):
    """A request that the command dictionary does not allow."""


class UnknownCommandError(DictionaryError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown command: {name}")
        self.name = name


class ArgumentError(DictionaryError):
    """One argument is wrong; ``field`` names it so an API can point at it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ClockError(SpacelinkError):
    pass


class LightTimeError(SpacelinkError):
    pass


class ControlMessageError(SpacelinkError):
    """A control message that does not parse; ``kind`` names which (e.g. "presence")."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"bad {kind}: {reason}")
        self.kind = kind
        self.reason = reason


class LinkError(SpacelinkError):
    """An I/O link is unavailable. The pure core never raises these; the I/O shells do."""


class BrokerUnavailableError(LinkError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"MQTT broker {url} unavailable: {reason}")
        self.url = url
        self.reason = reason


class SerialPortError(LinkError):
    def __init__(self, port: str, reason: str) -> None:
        super().__init__(f"serial port {port}: {reason}")
        self.port = port
        self.reason = reason
