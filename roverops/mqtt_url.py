"""Where an MQTT broker is and who we are to it: ``mqtt://[user[:password]@]host[:port]``.

The password never reaches a log: it is kept out of ``repr``, ``str`` gives the redacted form,
and only :meth:`MqttUrl.with_secret` spells it, for handing the URL to another process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

DEFAULT_PORT = 1883


@dataclass(frozen=True, slots=True)
class MqttUrl:
    host: str
    port: int = DEFAULT_PORT
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.host or any(c in self.host for c in "/@ "):
            raise ValueError(f"MQTT host must be a bare host name or address, got {self.host!r}")
        if isinstance(self.port, bool) or not isinstance(self.port, int):
            raise ValueError(f"MQTT port must be an integer, got {self.port!r}")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"MQTT port must be within 1..65535, got {self.port}")
        if self.password is not None and not self.username:
            raise ValueError("an MQTT password needs a user name")

    @classmethod
    def parse(cls, text: str) -> MqttUrl:
        """Parse ``mqtt://[user[:password]@]host[:port]``; ``ValueError`` says what is wrong."""
        parts = urlsplit(text.strip())
        if parts.scheme != "mqtt":
            raise ValueError(
                f"MQTT URL must start with mqtt:// (TLS is not supported), got {_redact(text)!r}"
            )
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(f"MQTT URL takes no path, query or fragment: {_redact(text)!r}")
        try:
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"MQTT URL has a bad port: {_redact(text)!r}") from exc
        return cls(
            host=parts.hostname or "",
            port=DEFAULT_PORT if port is None else port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
        )

    def redacted(self) -> str:
        """The URL for logs and messages: the password, if any, is shown as ``***``."""
        return self._format("***" if self.password is not None else None)

    def with_secret(self) -> str:
        """The full URL, password included, to pass to another process. Never log it."""
        return self._format(None if self.password is None else quote(self.password, safe=""))

    def __str__(self) -> str:
        return self.redacted()

    def _format(self, password: str | None) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        auth = ""
        if self.username:
            auth = quote(self.username, safe="")
            if password is not None:
                auth += f":{password}"
            auth += "@"
        return f"mqtt://{auth}{host}:{self.port}"


def _redact(text: str) -> str:
    """Hide the password of a URL we could not parse (for the error message)."""
    scheme, sep, rest = text.partition("://")
    userinfo, at, hostpart = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return text
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{hostpart}"
