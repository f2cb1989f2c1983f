"""Every view of the console is readable on the smallest screen it is made for, 1280x720:
no text is cut off (an ellipsis included), whatever the console shows: the login screen and
its refusal, the console with commands and events, a confirmation, errors at their fields, a
held queue, a filtered list, a lost stream. (A board's counters: tests/web/test_board.py.)
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import (
    SMALL_VIEWPORT,
    TOKEN,
    UNREADABLE_TEXT_JS,
    BrowserLog,
    System,
    assert_readable,
)
from tests.web.console_page import (
    card,
    composer,
    connect,
    odometer_cell,
    pick_command,
    send,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_every_view_is_readable_at_1280x720(
    page: Page, system: System, browser_log: BrowserLog, artifacts: Path
) -> None:
    page.set_viewport_size(SMALL_VIEWPORT)
    page.goto(system.url)
    # The check finds text cut off: words in a box too narrow for them fail it.
    page.evaluate("""() => {
        const box = document.createElement("div");
        box.id = "too-narrow";
        box.style.cssText = "width: 40px; overflow: hidden; white-space: nowrap";
        box.textContent = "far too long for this box";
        document.body.appendChild(box);
    }""")
    found = page.evaluate(UNREADABLE_TEXT_JS)
    assert any("far too long" in problem for problem in found), found
    page.evaluate("() => document.getElementById('too-narrow').remove()")

    assert_readable(page, "the login screen")
    page.get_by_label("Operator token").fill("not-the-token-at-all")
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_role("alert")).to_contain_text("Token refused (401)")
    browser_log.expect_one(r"console\.error: Failed to load resource: .* 401 .*/api/v1/")
    assert_readable(page, "the login screen refusing a token")

    connect(page)
    expect(odometer_cell(page)).not_to_have_text("—")
    assert_readable(page, "the console as it opens")

    # Commands with arguments, their timelines, and what they make the rover report.
    shot = send(page, "MAG_SAMPLE", duration_s="10")
    image = send(page, "TAKE_IMAGE", camera="hazcam_front")
    expect(card(page, image)).to_have_attribute("data-state", "completed", timeout=30_000)
    expect(card(page, shot)).to_have_attribute("data-state", "completed")
    events = page.get_by_role("region", name="Events")
    expect(events.locator(".ev-row", has_text="INSTRUMENT_DONE")).to_have_count(1, timeout=15_000)
    expect(events.locator(".ev-row", has_text="IMAGE_ACQUIRED")).to_have_count(1)
    assert_readable(page, "the console after commands and events")

    # A hazardous command's confirmation.
    pick_command(page, "LIBS_SHOT")
    page.locator("#arg-target_distance_m").fill("3.5")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    confirm = page.get_by_role("alertdialog", name="Confirm hazardous command")
    expect(confirm).to_be_visible()
    assert_readable(page, "a hazardous command's confirmation")
    confirm.get_by_role("button", name="Back").click()

    # Values refused at their fields.
    pick_command(page, "DRIVE")
    page.locator("#arg-distance_m").fill("250")
    page.locator("#arg-speed_mps").fill("fast")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#arg-distance_m-hint")).to_have_text("✕ at most 100 m")
    assert_readable(page, "errors at their fields")

    # A held queue with commands waiting in it, and its cancelled one.
    queue = page.get_by_role("region", name="Queue and history")
    queue.get_by_role("button", name="Hold queue").click()
    expect(page.locator("#queue-summary")).to_have_text(re.compile(r"^HELD"))
    waiting = send(page, "SHAKE_SOLAR_ARRAYS")
    doomed = send(page, "RADAR_SOUNDING", duration_s="600")
    card(page, doomed).get_by_role("button", name="Cancel").click()
    expect(card(page, doomed)).to_have_attribute("data-state", "cancelled")
    expect(card(page, waiting)).to_contain_text("Held on the ground until released.")
    page.screenshot(path=artifacts / "08-held-queue-1280x720.png")
    assert_readable(page, "a held queue")

    # The list of active commands, once there is none.
    queue.get_by_role("button", name="Release queue").click()
    expect(card(page, waiting)).to_have_attribute("data-state", "completed", timeout=30_000)
    queue.get_by_role("button", name="Active", exact=True).click()
    expect(queue.locator(".empty")).to_have_text(re.compile(r"^No active commands"))
    assert_readable(page, "no active command")

    # The live stream lost: the banner and the header say so.
    assert system.part.stop(signal.SIGTERM) == 0
    expect(page.locator(".banner")).to_be_visible(timeout=15_000)
    expect(page.locator("#stream-state")).to_have_text(re.compile(r"^RECONNECT"))
    page.screenshot(path=artifacts / "09-stream-lost-1280x720.png")
    assert_readable(page, "the live stream lost")
    system.part.start()
    system.part.wait_for_output(r"roverops console")
    expect(page.locator("#stream-state")).to_have_text("LIVE", timeout=30_000)
    system.http.close()
    system.http = httpx.Client(base_url=system.url, timeout=10,
                               headers={"Authorization": f"Bearer {TOKEN}"})
    assert browser_log.take_all(r"ERR_CONNECTION_REFUSED|WebSocket connection to .* failed") >= 1
    browser_log.assert_clean()
