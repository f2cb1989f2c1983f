"""The operator's console in a real browser, in front of the real system (issue 4).

Log in; send a DRIVE through the composer and watch it through its states to completed while
the charts and the map move; hold the queue, queue a command and cancel it; see an
out-of-range value refused at its field; confirm a hazardous command. The browser's console
stays free of errors and warnings throughout, and the main views are saved as screenshots in
``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.waiting import wait_for_sync
from tests.web.conftest import REPO, ROVER, TOKEN, BrowserLog, StartSystem, System
from tests.web.console_page import (
    card,
    composer,
    log_in,
    odometer_cell,
    pick_command,
    send,
    sent_command_id,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

DOCS_SCREENSHOT = REPO / "docs" / "console.png"
UPDATE_DOCS = "ROVEROPS_UPDATE_SCREENSHOT"
"""Set to 1 to let the overview test rewrite docs/console.png (committed, so not every run)."""


def record_states(page: Page, command_id: int) -> None:
    """Records in the page every state the command's card shows, however briefly."""
    page.evaluate(
        """(id) => {
            const seen = [];
            window.__states = seen;
            const note = () => {
                const el = document.querySelector(`.cmd-card[data-command-id="${id}"]`);
                const s = el === null ? null : el.dataset.state;
                if (s !== undefined && s !== null && seen[seen.length - 1] !== s) seen.push(s);
            };
            new MutationObserver(note).observe(document.body, {
                subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
            });
            note();
        }""",
        command_id,
    )


def test_login_refuses_a_wrong_token_then_opens_the_console(
    page: Page, system: System, browser_log: BrowserLog, artifacts: Path
) -> None:
    page.goto(system.url)
    token = page.get_by_label("Operator token")
    expect(token).to_be_focused()
    page.screenshot(path=artifacts / "01-login.png")

    token.fill("not-the-token-at-all")
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_role("alert")).to_contain_text("Token refused (401)")
    # The refusal is the answer a wrong token must get, and Chromium reports every response
    # with an error status on the console: exactly that one entry is expected, nothing else.
    browser_log.expect_one(r"console\.error: Failed to load resource: .* 401 .*/api/v1/")

    token.fill(TOKEN)
    page.get_by_role("button", name="Connect").click()
    expect(page.locator("#stream-state")).to_have_text("LIVE", timeout=15_000)
    expect(page.locator("#link-state")).to_have_text("LINK OPEN")
    for region in ("Command composer", "Queue and history", "Telemetry", "Traverse map",
                   "Rover and link health", "Events"):
        expect(page.get_by_role("region", name=region)).to_be_visible()
    expect(page.get_by_role("region", name="Rover and link health")).to_contain_text(
        "ZHURONG ONLINE")

    # The token is kept for the tab: a reload goes straight back to the console.
    page.reload()
    expect(page.locator("#stream-state")).to_have_text("LIVE", timeout=15_000)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Operator token")).to_be_visible()
    browser_log.assert_clean()


def test_drive_goes_through_its_states_and_moves_the_charts_and_map(
    page: Page, system: System, browser_log: BrowserLog, artifacts: Path
) -> None:
    log_in(page, system)
    readout = page.locator('.ro-value[data-channel="odometer_m"]')
    chart = page.locator(".chart-card", has=readout)
    odometer = chart.locator(readout)
    expect(odometer).to_have_text("0.000")
    chart_before = chart.screenshot()
    traverse = page.get_by_role("img", name="Traverse map")
    map_before = traverse.screenshot()
    expect(page.locator("#map-seen")).to_contain_text("seen x 0.0 m  y 0.0 m")

    pick_command(page, "DRIVE")
    distance = page.locator("#arg-distance_m")
    distance.fill("2")
    distance.press("Enter")
    drive = sent_command_id(page, "DRIVE")
    record_states(page, drive)
    this = card(page, drive)
    expect(this).to_contain_text("DRIVE")
    expect(this).to_contain_text("distance_m=2")
    # While it flies, the map shows where the rover will be once it has driven.
    expect(page.locator("#map-predicted")).to_contain_text("after in-flight", timeout=5_000)

    expect(this).to_have_attribute("data-state", "completed", timeout=30_000)
    expect(this.locator(".state-pill")).to_have_text("COMPLETED")
    expect(this.locator(".cmd-status")).to_contain_text("Done. Round trip")
    expect(this.locator(".step.done")).to_have_count(5)
    # The composer's line about what it sent followed the command to its end.
    expect(page.locator("#send-result")).to_have_text(f"#{drive} DRIVE completed")
    states = page.evaluate("window.__states")
    assert states[-1] == "completed", states
    # Every state the card showed came in the lifecycle's order: nothing went backwards, and
    # the command was seen in flight (between radiation and the first acknowledgement, which
    # takes two light times: two wall seconds here) before it was seen executing.
    order = ["queued", "radiated", "accepted", "started", "completed"]
    assert all(s in order for s in states), states
    assert [order.index(s) for s in states] == sorted(order.index(s) for s in states), states
    assert "radiated" in states and "started" in states, states
    history = [h["state"] for h in system.command(drive)["history"]]
    assert history == order, history

    # The drive's telemetry comes back one light time later: the chart and the map move.
    expect(odometer).to_have_text(re.compile(r"^(1\.9[5-9]\d*|2\.0\d*)$"), timeout=15_000)
    expect(odometer_cell(page)).to_have_text(re.compile(r"^(1\.9[5-9]\d*|2\.0\d*)$"))
    expect(page.locator("#map-seen")).not_to_contain_text("x 0.0 m  y 0.0 m")
    expect(page.locator("#map-predicted")).to_have_text("nothing in flight moves the rover")
    assert chart.screenshot() != chart_before, "the odometer chart did not change"
    assert traverse.screenshot() != map_before, "the traverse map did not change"
    page.screenshot(path=artifacts / "02-overview-after-drive.png")
    browser_log.assert_clean()


def test_hold_the_queue_queue_a_command_and_cancel_it(
    page: Page, system: System, browser_log: BrowserLog, artifacts: Path
) -> None:
    log_in(page, system)
    queue = page.get_by_role("region", name="Queue and history")
    queue.get_by_role("button", name="Hold queue").click()
    expect(page.locator("#queue-summary")).to_have_text(re.compile(r"^HELD · 0 waiting"))
    release = queue.get_by_role("button", name="Release queue")
    expect(release).to_have_attribute("aria-pressed", "true")
    assert system.http.get("/api/v1/rovers/zhurong/queue").json()["held"] is True
    expect(composer(page).locator(".forecast")).to_contain_text("Queue HELD: it will wait.")

    pick_command(page, "TAKE_IMAGE")
    composer(page).get_by_label("camera").select_option("natecam")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    doomed = sent_command_id(page, "TAKE_IMAGE")
    pick_command(page, "PING")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    kept = sent_command_id(page, "PING")
    expect(page.locator("#queue-summary")).to_have_text(re.compile(r"^HELD · 2 waiting"))
    doomed_card = card(page, doomed)
    expect(doomed_card).to_have_attribute("data-state", "queued")
    expect(doomed_card).to_contain_text("Held on the ground until released.")

    doomed_card.get_by_role("button", name="Cancel").click()
    expect(doomed_card).to_have_attribute("data-state", "cancelled")
    expect(doomed_card.locator(".state-pill")).to_have_text("CANCELLED")
    expect(doomed_card).to_contain_text("Cancelled before radiation; never sent.")
    expect(doomed_card.get_by_role("button", name="Cancel")).to_be_hidden()
    expect(card(page, kept)).to_have_attribute("data-state", "queued")
    expect(page.locator("#queue-summary")).to_have_text(re.compile(r"^HELD · 1 waiting"))
    page.screenshot(path=artifacts / "05-held-queue-with-cancelled-command.png")

    cancelled = system.command(doomed)
    assert cancelled["state"] == "cancelled" and cancelled["radiated_at"] is None
    release.click()
    expect(queue.get_by_role("button", name="Hold queue")).to_be_visible()
    expect(card(page, kept)).to_have_attribute("data-state", "completed", timeout=30_000)
    expect(doomed_card).to_have_attribute("data-state", "cancelled")
    assert system.command(doomed)["radiated_at"] is None
    browser_log.assert_clean()


def test_an_out_of_range_value_is_refused_at_its_field(
    page: Page, system: System, browser_log: BrowserLog, artifacts: Path
) -> None:
    log_in(page, system)
    pick_command(page, "DRIVE")
    distance = page.locator("#arg-distance_m")
    hint = page.locator("#arg-distance_m-hint")
    expect(hint).to_have_text("-20 to 100 m")
    distance.fill("250")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    expect(hint).to_have_text("✕ at most 100 m")
    expect(distance).to_have_attribute("aria-invalid", "true")
    expect(distance).to_be_focused()
    page.locator(".composer-panel").screenshot(path=artifacts / "03-composer-field-error.png")
    page.screenshot(path=artifacts / "03-composer-field-error-full.png")

    speed = page.locator("#arg-speed_mps")
    speed.fill("fast")
    distance.fill("-30")
    distance.press("Enter")
    expect(hint).to_have_text("✕ at least -20 m")
    expect(page.locator("#arg-speed_mps-hint")).to_have_text("✕ a number")
    expect(speed).to_have_attribute("aria-invalid", "true")

    # Nothing left the console; typing clears the error.
    assert system.commands() == []
    expect(page.locator(".cmd-card")).to_have_count(0)
    distance.fill("1")
    expect(hint).to_have_text("-20 to 100 m")
    expect(distance).to_have_attribute("aria-invalid", "false")
    browser_log.assert_clean()


def test_a_hazardous_command_asks_for_confirmation(
    page: Page, system: System, browser_log: BrowserLog, artifacts: Path
) -> None:
    log_in(page, system)
    confirm = page.get_by_role("alertdialog", name="Confirm hazardous command")
    send = composer(page).get_by_role("button", name="Send", exact=True)

    # SET_MODE: asks, and Escape backs out without sending.
    pick_command(page, "SET_MODE")
    expect(composer(page).get_by_label("Command", exact=True)).to_contain_text(
        "SET_MODE  ⚠ hazardous")
    composer(page).get_by_label("mode").select_option("safe")
    send.click()
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("⚠ SET_MODE is hazardous.")
    expect(confirm).to_contain_text("mode = safe")
    expect(send).to_be_hidden()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(send).to_be_visible()

    # LIBS_SHOT: asks; Back backs out; then confirmed, it goes.
    pick_command(page, "LIBS_SHOT")
    page.locator("#arg-target_distance_m").fill("3.5")
    send.click()
    expect(confirm).to_contain_text("⚠ LIBS_SHOT is hazardous.")
    expect(confirm).to_contain_text("target_distance_m = 3.5 m, shots = 30")
    expect(confirm).to_contain_text("Once radiated it cannot be recalled.")
    page.screenshot(path=artifacts / "04-hazardous-confirmation.png")
    confirm.get_by_role("button", name="Back").click()
    expect(confirm).to_be_hidden()
    assert system.commands() == []

    send.click()
    confirm.get_by_role("button", name="Confirm and send").click()
    expect(confirm).to_be_hidden()
    shot = sent_command_id(page, "LIBS_SHOT")
    expect(card(page, shot)).to_contain_text("target_distance_m=3.5")
    sent = system.commands()
    assert [(c["name"], c["args"]) for c in sent] == [
        ("LIBS_SHOT", {"target_distance_m": 3.5, "shots": 30})]
    # The rover takes it: its acceptance and start are back two light times later.
    expect(card(page, shot)).to_have_attribute("data-state", re.compile(r"^(started|completed)$"),
                                               timeout=30_000)
    browser_log.assert_clean()


def test_overview_after_a_few_commands_for_the_readme(
    page: Page, start_system: StartSystem, browser_log: BrowserLog, artifacts: Path
) -> None:
    """The README's picture: a few commands done, charts filled, a track on the map."""
    # A minute of light time, lasting 1.5 wall seconds.
    system = start_system(owlt_s=60, scale=40)
    log_in(page, system)
    plan: list[tuple[str, dict[str, str]]] = [
        ("DRIVE", {"distance_m": "6"}),
        ("TURN", {"angle_deg": "60"}),
        ("DRIVE", {"distance_m": "5"}),
        ("TAKE_IMAGE", {"camera": "natecam"}),
    ]
    # One at a time: on the rover, a new motion command interrupts the one in progress.
    for name, args in plan:
        sent = send(page, name, **args)
        expect(card(page, sent)).to_have_attribute("data-state", "completed", timeout=30_000)
    # The last drive's end is on the map once its telemetry has crossed back.
    expect(page.locator("#map-seen")).to_contain_text(re.compile(r"hdg (30|330)°"),
                                                      timeout=15_000)
    # Nothing spills out of its bar or header at this size (they clip rather than wrap).
    spilled = page.evaluate("""() => [...document.querySelectorAll(
        '.topbar, .panel-head, .queue-bar, .chart-head, .ev-filters, .send-row, .map-foot')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => `${e.className}: ${e.scrollWidth} > ${e.clientWidth}`)""")
    assert spilled == [], spilled
    pick_command(page, "DRIVE")
    page.locator("#arg-distance_m").fill("5")
    path = artifacts / "06-console-overview.png"
    page.screenshot(path=path)
    if os.environ.get(UPDATE_DOCS) == "1":
        shutil.copyfile(path, DOCS_SCREENSHOT)
    browser_log.assert_clean()


def test_the_stream_reconnects_by_itself_when_the_server_restarts(
    page: Page, system: System, browser_log: BrowserLog
) -> None:
    log_in(page, system)
    assert system.part.stop(signal.SIGTERM) == 0
    expect(page.locator("#stream-state")).not_to_have_text("LIVE", timeout=15_000)
    system.part.start()  # the same port, the same data dir
    system.part.wait_for_output(r"roverops console")
    expect(page.locator("#stream-state")).to_have_text("LIVE", timeout=30_000)
    # Live for real: a command sent now shows up and runs to completion on the page.
    system.http.close()
    system.http = httpx.Client(base_url=system.url, timeout=10,
                               headers={"Authorization": f"Bearer {TOKEN}"})
    ping = system.send("PING")
    card = page.locator(f'[data-command-id="{ping["id"]}"]')
    expect(card).to_have_attribute("data-state", "completed", timeout=30_000)
    # While the server was down the browser said so, and nothing else.
    assert browser_log.take_all(r"ERR_CONNECTION_REFUSED|WebSocket connection to .* failed") >= 1
    browser_log.assert_clean()


def test_the_list_and_the_composer_say_what_became_of_a_command(
    page: Page, system: System, browser_log: BrowserLog
) -> None:
    log_in(page, system)
    queue = page.get_by_role("region", name="Queue and history")
    show_all = queue.get_by_role("button", name="All", exact=True)
    show_active = queue.get_by_role("button", name="Active", exact=True)
    empty = queue.locator(".empty")
    expect(empty).to_have_text(re.compile(r"^No commands yet\."))
    show_active.click()
    expect(empty).to_have_text(re.compile(r"^No active commands"))

    queue.get_by_role("button", name="Hold queue").click()
    expect(page.locator("#queue-summary")).to_have_text(re.compile(r"^HELD"))
    pick_command(page, "PING")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    ping = sent_command_id(page, "PING")
    result = page.locator("#send-result")
    expect(result).to_have_text(f"#{ping} PING queued")
    expect(card(page, ping)).to_have_attribute("data-state", "queued")
    expect(empty).to_have_count(0)

    # Cancelled: the composer no longer says it is queued, and it is no longer active.
    card(page, ping).get_by_role("button", name="Cancel").click()
    expect(result).to_have_text(f"#{ping} PING cancelled")
    expect(card(page, ping)).to_have_count(0)
    expect(empty).to_have_text(re.compile(r"^No active commands"))
    show_all.click()
    expect(card(page, ping)).to_have_attribute("data-state", "cancelled")
    expect(empty).to_have_count(0)
    assert system.command(ping)["state"] == "cancelled"

    # Released, the next one is followed to its end, and leaves the active list when done.
    queue.get_by_role("button", name="Release queue").click()
    show_active.click()
    composer(page).get_by_role("button", name="Send", exact=True).click()
    second = sent_command_id(page, "PING")
    expect(card(page, second)).to_be_visible()
    expect(result).to_have_text(f"#{second} PING completed", timeout=30_000)
    expect(card(page, second)).to_have_count(0)
    expect(empty).to_have_text(re.compile(r"^No active commands"))
    browser_log.assert_clean()


def test_events_name_the_command_where_the_rover_gives_its_function_id(
    page: Page, system: System, browser_log: BrowserLog
) -> None:
    log_in(page, system)
    pick_command(page, "MAG_SAMPLE")
    page.locator("#arg-duration_s").fill("10")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    sent = sent_command_id(page, "MAG_SAMPLE")
    expect(card(page, sent)).to_have_attribute("data-state", "completed", timeout=30_000)

    # The rover reports the run by the command's function id...
    def done() -> list[dict[str, object]]:
        events = system.http.get(f"{ROVER}/events").json()
        return [e for e in events if e["name"] == "INSTRUMENT_DONE"]

    wait_for_sync(lambda: len(done()) == 1, 15, "INSTRUMENT_DONE on the ground")
    function_id = done()[0]["params"]["function_id"]  # type: ignore[index]
    commands = system.http.get("/api/v1/dictionary").json()["commands"]
    assert [c["name"] for c in commands if c["function_id"] == function_id] == ["MAG_SAMPLE"]
    # ... and the console names it, as the dictionary does.
    events = page.get_by_role("region", name="Events")
    row = events.locator(".ev-row", has_text="INSTRUMENT_DONE")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("command=MAG_SAMPLE")
    expect(row).not_to_contain_text("function_id")
    events.get_by_label("Filter events by text").fill("mag_sample")
    expect(events.locator(".ev-row")).to_have_count(1)
    expect(events.locator(".ev-row")).to_contain_text("INSTRUMENT_DONE")
    browser_log.assert_clean()


ROVER_ARROW_JS = """(canvas) => {
  // The rover as last seen is the one shape filled with #e9eef5. Its tip reaches 1.4 sizes
  // ahead of the pose, its tail 0.8 behind: from its centroid, the shape reaches furthest
  // the way it points.
  const { width, height } = canvas;
  const copy = document.createElement("canvas");  // read a copy: the map's own stays fast
  copy.width = width;
  copy.height = height;
  const ctx = copy.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(canvas, 0, 0);
  const px = ctx.getImageData(0, 0, width, height).data;
  let n = 0, sx = 0, sy = 0, x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 4;
      if (Math.abs(px[i] - 233) > 10 || Math.abs(px[i + 1] - 238) > 10
          || Math.abs(px[i + 2] - 245) > 10 || px[i + 3] < 250) continue;
      n += 1; sx += x; sy += y;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  if (n === 0) return null;
  const cx = sx / n, cy = sy / n;
  const reach = { right: x1 - cx, left: cx - x0, down: y1 - cy, up: cy - y0 };
  const [way, far] = Object.entries(reach).sort((a, b) => b[1] - a[1])[0];
  const back = { right: "left", left: "right", down: "up", up: "down" }[way];
  return far - reach[back] >= 2 ? way : "unclear";
}"""


def test_the_map_follows_and_states_the_dictionarys_heading_convention(
    page: Page, system: System, browser_log: BrowserLog
) -> None:
    dictionary = system.http.get("/api/v1/dictionary").json()
    heading = next(c for c in dictionary["telemetry"] if c["name"] == "heading_deg")
    turn = next(c for c in dictionary["commands"] if c["name"] == "TURN")
    # The convention, as the dictionary states it: 0 is east, positive is to the left.
    assert heading["description"] == "Heading, counter-clockwise from east"
    assert "positive: to the left" in turn["description"]
    assert system.channel("heading_deg") == 270  # Zhurong left its lander southwards

    log_in(page, system)
    traverse = page.get_by_role("region", name="Traverse map")
    canvas = traverse.get_by_role("img", name="Traverse map")
    expect(traverse.locator("#map-convention")).to_have_text(
        "heading 0° = east, + counter-clockwise (90° = north)")
    expect(traverse.locator(".map-north")).to_have_text("N ↑")
    seen = page.locator("#map-seen")
    expect(seen).to_contain_text("hdg 270° (S)")
    assert canvas.evaluate(ROVER_ARROW_JS) == "down"  # north is up: south is down

    # A quarter turn to the left, counter-clockwise: from south to east.
    pick_command(page, "TURN")
    page.locator("#arg-angle_deg").fill("90")
    composer(page).get_by_role("button", name="Send", exact=True).click()
    turned = sent_command_id(page, "TURN")
    expect(page.locator("#map-predicted")).to_contain_text("hdg 0° (E)")
    expect(card(page, turned)).to_have_attribute("data-state", "completed", timeout=30_000)
    expect(seen).to_contain_text("hdg 0° (E)", timeout=15_000)
    assert canvas.evaluate(ROVER_ARROW_JS) == "right"
    browser_log.assert_clean()


def test_times_on_another_day_than_today_show_their_date(
    page: Page, start_system: StartSystem, browser_log: BrowserLog
) -> None:
    # A mission day passes in 0.9 wall seconds: what happened a few seconds ago is days old.
    system = start_system(owlt_s=10, scale=100_000)
    ping = system.wait_state(system.send("PING")["id"], "completed")
    log_in(page, system)
    this = card(page, ping["id"])
    expect(this).to_have_attribute("data-state", "completed")
    steps = this.locator(".step")
    history = {h["state"]: h["at"] for h in ping["history"]}
    for index, iso in ((0, history["queued"]), (1, ping["radiated_at"]),
                       (3, history["accepted"]), (4, history["completed"])):
        when = parse_iso(iso)
        step = steps.nth(index)
        expect(step.locator(".step-date")).to_have_text(when.strftime("%Y-%m-%d"))
        expect(step.locator(".step-time")).to_have_text(when.strftime("%H:%M:%S"))
    boot = next(e for e in system.http.get(f"{ROVER}/events").json() if e["name"] == "BOOT")
    booted = parse_iso(boot["rover_time"])
    row = page.locator(f'.ev-row[data-event-id="{boot["id"]}"]')
    expect(row.locator(".ev-time")).to_have_text(booted.strftime("%Y-%m-%d %H:%M:%S"))
    # Those were days ago: the console's mission clock agrees.
    now = page.evaluate("() => window.roverops.store.clock.now()") / 1000
    assert datetime.fromtimestamp(now, UTC).date() > booted.date()
    browser_log.assert_clean()


def test_times_of_today_show_no_date(page: Page, system: System, browser_log: BrowserLog) -> None:
    ping = system.wait_state(system.send("PING")["id"], "completed")
    log_in(page, system)
    this = card(page, ping["id"])
    expect(this).to_have_attribute("data-state", "completed")
    queued = parse_iso(ping["history"][0]["at"])
    expect(this.locator(".step-time").first).to_have_text(queued.strftime("%H:%M:%S"))
    now = datetime.fromtimestamp(page.evaluate("() => window.roverops.store.clock.now()") / 1000,
                                 UTC)
    date = this.locator(".step-date").first
    if now.date() == queued.date():  # (unless the mission clock passed midnight just now)
        expect(date).to_be_hidden()
        expect(page.locator(".ev-row .ev-time").first).to_have_text(
            re.compile(r"^\d\d:\d\d:\d\d$"))
    else:
        expect(date).to_have_text(queued.strftime("%Y-%m-%d"))
    browser_log.assert_clean()


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
