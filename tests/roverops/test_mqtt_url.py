"""MqttUrl: parsing, validation, and keeping the password out of logs."""

from __future__ import annotations

import pytest

from roverops.mqtt_url import MqttUrl


def test_parse_full_url() -> None:
    url = MqttUrl.parse("mqtt://ops:s%3Acret@broker.example:1884")
    assert url == MqttUrl("broker.example", 1884, "ops", "s:cret")


def test_parse_defaults_port_and_no_credentials() -> None:
    assert MqttUrl.parse("mqtt://localhost") == MqttUrl("localhost", 1883)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("http://host", "mqtt://"),
        ("mqtts://host", "TLS"),
        ("host:1883", "mqtt://"),
        ("mqtt://", "host"),
        ("mqtt://host:0", "port"),
        ("mqtt://host:99999", "port"),
        ("mqtt://host:abc", "port"),
        ("mqtt://host/path", "path"),
        ("mqtt://:pw@host", "user name"),
    ],
)
def test_parse_rejects_bad_urls(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        MqttUrl.parse(text)


def test_password_is_never_shown() -> None:
    url = MqttUrl.parse("mqtt://ops:topsecret@host:1884")
    for shown in (str(url), repr(url), url.redacted(), f"{url}"):
        assert "topsecret" not in shown
    assert url.redacted() == "mqtt://ops:***@host:1884"


def test_bad_url_error_does_not_leak_the_password() -> None:
    with pytest.raises(ValueError, match="mqtt") as caught:
        MqttUrl.parse("http://ops:topsecret@host")
    assert "topsecret" not in str(caught.value)


def test_with_secret_round_trips() -> None:
    url = MqttUrl("::1", 1884, "o p", "p@ss:/w")
    assert MqttUrl.parse(url.with_secret()) == url
