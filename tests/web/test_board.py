"""A board plays the rover, after the emulator did: the console shows the same rover.

``roverops up --no-rover`` is the ground; first ``roverops rover`` (the emulator on MQTT) plays
the rover and drives it; then it stops, and a board takes over: the emulator on a
pseudo-terminal (``roverops rover --pty``, a board as far as anyone upstream can tell) behind
``roverops bridge``. All are subprocesses on a real Mosquitto.
"""

from __future__ import annotations

import itertools
import re
import signal
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.support.mosquitto import Mosquitto
from tests.support.processes import Part
from tests.support.waiting import wait_for_sync
from tests.web.conftest import SMALL_VIEWPORT, BrowserLog, StartSystem, System, assert_readable
from tests.web.console_page import log_in

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PIXELS_JS = """(canvas) => {
  // The map's pixels, read from a copy (reading the map's own canvas would slow it down).
  const copy = document.createElement("canvas");
  copy.width = canvas.width;
  copy.height = canvas.height;
  const ctx = copy.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(canvas, 0, 0);
  return { width: copy.width, height: copy.height,
           data: Array.from(ctx.getImageData(0, 0, copy.width, copy.height).data) };
}"""


class Pixels:
    def __init__(self, canvas: Locator) -> None:
        shot = canvas.evaluate(PIXELS_JS)
        self.width: int = shot["width"]
        self.height: int = shot["height"]
        self.data: list[int] = shot["data"]

    def rgba(self, x: int, y: int) -> tuple[int, int, int, int]:
        i = (y * self.width + x) * 4
        r, g, b, a = self.data[i:i + 4]
        return r, g, b, a

    def where(self, match: Any) -> list[tuple[int, int]]:
        return [(x, y) for y in range(self.height) for x in range(self.width)
                if match(self.rgba(x, y))]

    def rover(self) -> tuple[float, float]:
        """Where the rover as last seen is drawn: the shape filled with #e9eef5."""
        points = self.where(lambda p: abs(p[0] - 233) <= 10 and abs(p[1] - 238) <= 10
                            and abs(p[2] - 245) <= 10 and p[3] >= 250)
        assert points, "no rover on the map"
        return (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))


def is_track(p: tuple[int, int, int, int]) -> bool:
    """The track's blue (108, 182, 255 at 0.8 over the map's ground): blue well above red."""
    r, g, b, _ = p
    return b > 150 and b - r > 70 and g > 100


def is_line(p: tuple[int, int, int, int], color: tuple[int, int, int]) -> bool:
    return all(abs(c - w) <= 40 for c, w in zip(p[:3], color, strict=True)) and p[3] > 100


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[dict[str, Part]]:
    started: dict[str, Part] = {}
    try:
        yield started
    finally:
        for part in reversed(started.values()):
            try:
                part.stop(signal.SIGINT)
            except AssertionError:
                part.kill()


def test_a_board_taking_over_from_the_emulator(
    page: Page, start_system: StartSystem, mosquitto: Mosquitto, parts: dict[str, Part],
    tmp_path: Path, browser_log: BrowserLog, artifacts: Path
) -> None:
    page.set_viewport_size(SMALL_VIEWPORT)
    system = start_system(rover=False)
    broker = str(mosquitto.url)
    parts["emulator"] = Part(tmp_path / "emulator", "emulator", [
        "rover", "--mqtt", broker, "--data-dir", str(tmp_path / "emulator-data")]).start()
    wait_for_sync(lambda: rover(system)["played_by"] == "emulator"
                  and system.channel("odometer_m") is not None, 30,
                  "the emulator playing the rover, its telemetry on the ground")
    log_in(page, system)
    mars = page.locator(".clock", has=page.locator(".clock-label", has_text="Mars"))
    sol = re.compile(r"^Sol \d+ · \d\d:\d\d:\d\d$")
    expect(mars.locator(".clock-main")).to_have_text(sol)
    expect(mars.locator(".clock-sub")).to_have_text("LMST · Utopia Planitia")
    offered = page.locator("#cmd-name option")
    expect(offered.filter(has_text="TAKE_IMAGE")).to_have_count(1)  # the emulator has cameras

    # The emulator drives 3 m south, turns to the east and drives 3 m: an L from the origin.
    for name, args in (("DRIVE", {"distance_m": 3}), ("TURN", {"angle_deg": 90}),
                       ("DRIVE", {"distance_m": 3})):
        system.wait_state(system.send(name, **args)["id"], "completed")
    seen = page.locator("#map-seen")
    expect(seen).to_contain_text("seen x 3.0 m  y -3.0 m", timeout=15_000)
    canvas = page.get_by_role("img", name="Traverse map")
    left_at = Pixels(canvas).rover()
    odometer = page.locator(".chart-card", has=page.locator('.ro-value[data-channel="odometer_m"]'))
    expect(odometer.locator(".ro-value")).to_have_text("6.00", timeout=15_000)
    last_emulated = parse_time(system.http.get(
        "/api/v1/rovers/zhurong/telemetry").json()["channels"]["odometer_m"]["rover_time"])

    # The emulator goes; a board comes, behind the bridge. It starts at the origin.
    assert parts.pop("emulator").stop(signal.SIGINT) == 0
    board = parts["board"] = Part(tmp_path / "board", "board", [
        "rover", "--pty", "--data-dir", str(tmp_path / "board-data")]).start()
    pty = board.wait_for_output(r"pty: (\S+)").group(1)
    parts["bridge"] = Part(tmp_path / "bridge", "bridge", [
        "bridge", "--mqtt", broker, "--port", pty]).start()
    health = page.get_by_role("region", name="Rover and link health")
    expect(health).to_contain_text("board, through the serial bridge", timeout=30_000)
    expect(health.locator('dd[data-key="frames_up"]')).not_to_have_text(re.compile(r"^0?$"),
                                                                       timeout=15_000)
    expect(seen).to_contain_text("seen x 0.0 m  y 0.0 m", timeout=30_000)
    expect(odometer.locator(".ro-value")).to_have_text("0.000")

    # The rover's site and Mars time are the ground's, whoever plays the rover; the bridge's
    # counters (many updates of the rover's presence by now) take nothing away.
    played = rover(system)
    assert played["played_by"] == "bridge" and played["mars"]["lmst"], played
    expect(mars.locator(".clock-main")).to_have_text(sol)
    expect(mars.locator(".clock-main")).to_contain_text(f"Sol {played['mars']['sol']} ")
    expect(mars.locator(".clock-sub")).to_have_text("LMST · Utopia Planitia")
    expect(health).to_contain_text("Utopia Planitia · 25.066°N 109.925°E")
    # The board has no instruments, and its bridge says so: the composer offers what it has.
    assert "TAKE_IMAGE" not in (played["supports"] or ["TAKE_IMAGE"]), played
    expect(offered.filter(has_text="TAKE_IMAGE")).to_have_count(0)
    expect(offered.filter(has_text="DRIVE")).to_have_count(1)

    # No straight line joins where the emulator left the rover to where the board has it:
    # half-way between the two, the map shows no track...
    taken_at = Pixels(canvas).rover()
    mid = (round((left_at[0] + taken_at[0]) / 2), round((left_at[1] + taken_at[1]) / 2))
    after = Pixels(canvas)
    near = [after.rgba(mid[0] + dx, mid[1] + dy) for dx in range(-3, 4) for dy in range(-3, 4)]
    assert not any(is_track(p) for p in near), (left_at, taken_at, near)
    # ... and the odometer's chart has a hole between the emulator's 6 m and the board's 0:
    # a run of columns with no line in them, between columns with the line.
    chart = Pixels(odometer.locator("canvas").first)
    columns = sorted({x for x, _ in chart.where(lambda p: is_line(p, (108, 182, 255)))})
    holes = [b - a for a, b in itertools.pairwise(columns) if b - a > 1]
    assert columns and max(holes, default=0) >= 3, columns
    # The console saw the change of player between the two: lines break there even when
    # the telemetry has no gap (a quick swap).
    breaks = page.evaluate("() => window.roverops.store.playerBreaks")
    board_now = parse_time(system.http.get(
        "/api/v1/rovers/zhurong/telemetry").json()["channels"]["odometer_m"]["rover_time"])
    assert any(last_emulated < t <= board_now for t in breaks), (last_emulated, breaks)
    page.screenshot(path=artifacts / "07-board-after-the-emulator-1280x720.png")
    assert_readable(page, "a board playing the rover, with the bridge's counters")
    browser_log.assert_clean()


def rover(system: System) -> dict[str, Any]:
    return system.http.get("/api/v1/rovers").json()[0]  # type: ignore[no-any-return]


def parse_time(iso: str) -> float:
    """Epoch milliseconds, as the console keeps times."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000
