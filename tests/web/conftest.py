"""The operator console in Debian's headless Chromium, driven by Playwright, in front of the
real system: ``roverops up`` as a subprocess on a real Mosquitto.

Chromium is the Debian package's (``/usr/bin/chromium``); Playwright never downloads a browser.
Each test gets a fresh browser profile and its own system, so no test sees another's commands
or a queue another one held.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from roverops.broker import free_port
from tests.support.mosquitto import Mosquitto
from tests.support.processes import Part
from tests.support.waiting import wait_for_sync

REPO = Path(__file__).resolve().parents[2]
DIST_INDEX = REPO / "ground" / "web" / "dist" / "index.html"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("ROVEROPS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TOKEN = "web-test-token-0123456789"
ROVER = "/api/v1/rovers/zhurong"
VIEWPORT: ViewportSize = {"width": 1440, "height": 900}
SMALL_VIEWPORT: ViewportSize = {"width": 1280, "height": 720}
"""The smallest screen the console is made for: every view must be readable at this size."""
EXPECT_MS = 10_000
"""How long an expectation about the page waits by default (wall milliseconds)."""


@dataclass
class System:
    """``roverops up`` (ground, DSN, rover emulator) against the test's Mosquitto."""

    part: Part
    url: str
    http: httpx.Client

    def send(self, name: str, **args: object) -> dict[str, Any]:
        response = self.http.post(f"{ROVER}/commands", json={"name": name, "args": args})
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def commands(self) -> list[dict[str, Any]]:
        response = self.http.get(f"{ROVER}/commands")
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def command(self, command_id: int) -> dict[str, Any]:
        response = self.http.get(f"{ROVER}/commands/{command_id}")
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def channel(self, name: str) -> Any:
        channels = self.http.get(f"{ROVER}/telemetry").json()["channels"]
        return channels.get(name, {}).get("value")

    def wait_state(self, command_id: int, state: str, timeout: float = 60) -> dict[str, Any]:
        last: list[dict[str, Any]] = []

        def reached() -> bool:
            last[:] = [self.command(command_id)]
            return bool(last[0]["state"] == state)

        try:
            wait_for_sync(reached, timeout, f"command {command_id} to be {state}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; last seen {last[0] if last else None}") from None
        return last[0]


StartSystem = Callable[..., System]


@pytest.fixture
def start_system(tmp_path: Path, mosquitto: Mosquitto) -> Iterator[StartSystem]:
    """Starts ``roverops up``; ``owlt_s`` and ``scale`` are mission seconds and the time scale."""
    if not DIST_INDEX.exists():
        pytest.fail(f"{DIST_INDEX.relative_to(REPO)} is missing: build the console first with "
                    "`make web` (`make test` does it)")
    started: list[System] = []

    def start(owlt_s: float = 10.0, scale: float = 10.0, rover: bool = True,
              telemetry: bool = True) -> System:
        """``rover=False``: no emulator in ``up`` (another process plays the rover);
        ``telemetry=False``: do not wait for the first housekeeping to cross the light time."""
        port = free_port()
        part = Part(tmp_path / "up", "up", [
            "up", "--mqtt", str(mosquitto.url), "--http-port", str(port),
            "--light-time", f"fixed:{owlt_s:g}", "--time-scale", f"{scale:g}",
            "--data-dir", str(tmp_path / "data"), *([] if rover else ["--no-rover"])],
            env={"ROVEROPS_TOKEN": TOKEN})
        part.start()
        url = part.wait_for_output(r"roverops console: (http://\S+)").group(1)
        system = System(part, url, httpx.Client(
            base_url=url, timeout=10, headers={"Authorization": f"Bearer {TOKEN}"}))
        started.append(system)

        def ready() -> bool:
            if not rover:
                return system.http.get("/api/v1/health").status_code == 200
            rovers = system.http.get("/api/v1/rovers").json()
            online = bool(rovers and rovers[0]["online"])
            return online and (not telemetry or system.channel("odometer_m") is not None)

        wait_for_sync(ready, 30, "the rover online and its first housekeeping on the ground"
                      if rover else "the ground's health")
        return system

    try:
        yield start
    finally:
        for system in started:
            system.http.close()
            system.part.stop(signal.SIGTERM)


@pytest.fixture
def system(start_system: StartSystem) -> System:
    """The usual system: a light time of 10 mission seconds lasting one wall second."""
    return start_system()


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs the chromium package (apt-get install -y chromium): no {CHROMIUM}")
    with sync_playwright() as p:
        yield p


@dataclass
class BrowserLog:
    """What the page said on its console and what it threw; each test asserts it is clean."""

    problems: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        # Errors and warnings both count: nothing is filtered out.
        if message.type in ("error", "warning"):
            self.problems.append(f"console.{message.type}: {message.text} ({message.location})")

    def on_page_error(self, error: Error) -> None:
        self.problems.append(f"page error: {error.message}\n{error.stack}")

    def expect_one(self, pattern: str) -> None:
        """Takes out the one entry matching ``pattern`` that the test caused on purpose."""
        matching = [p for p in self.problems if re.search(pattern, p)]
        assert len(matching) == 1, f"expected one entry matching {pattern!r}: {self.problems}"
        self.problems.remove(matching[0])

    def take_all(self, pattern: str) -> int:
        """Takes out every entry matching ``pattern`` (what an outage the test made causes)."""
        matching = [p for p in self.problems if re.search(pattern, p)]
        self.problems = [p for p in self.problems if p not in matching]
        return len(matching)

    def assert_clean(self) -> None:
        assert self.problems == [], "the browser reported:\n" + "\n".join(self.problems)


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def context(playwright_driver: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """Debian's Chromium, headless, with a fresh profile of this test's own."""
    ctx = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
        headless=True, viewport=VIEWPORT, locale="en-GB", timezone_id="UTC")
    ctx.set_default_timeout(EXPECT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext, browser_log: BrowserLog) -> Page:
    page = context.pages[0] if context.pages else context.new_page()
    page.on("console", browser_log.on_console)
    page.on("pageerror", browser_log.on_page_error)
    return page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


UNREADABLE_TEXT_JS = (Path(__file__).parent / "unreadable_text.js").read_text()
"""A function for page.evaluate: what text the page shows cut off (see the file)."""


def assert_readable(page: Page, view: str) -> None:
    """No text on the page is cut off (see UNREADABLE_TEXT_JS); ``view`` names the state."""
    problems = page.evaluate(UNREADABLE_TEXT_JS)
    assert problems == [], f"{view} at {page.viewport_size}: text cut off:\n" + "\n".join(problems)
