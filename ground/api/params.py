"""Parameters shared by the routes."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import BeforeValidator

from spacelink.clock import parse_iso

RoverId = Annotated[str, Path(description="A rover's id, as `GET /api/v1/rovers` lists it",
                              examples=["zhurong"])]

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _moment(value: object) -> datetime:
    """An RFC 3339 date-time, as the OpenAPI's ``format: date-time`` says, and nothing else
    (pydantic alone would also take a number of seconds, or a time without its offset)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _RFC3339.fullmatch(value):
        try:
            return parse_iso(value.upper())
        except ValueError:
            pass
    raise ValueError("must be an RFC 3339 date-time with its offset, such as "
                     "2031-05-01T12:00:00.000Z")


Moment = BeforeValidator(_moment)
"""For a parameter typed ``datetime``: the moment an RFC 3339 string names."""
