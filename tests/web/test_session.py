"""Logging out ends the session: its timers, its live stream and its memory.

The page counts, from before the console's own code runs (an init script wrapping
setInterval, setTimeout, their clear functions and WebSocket), the intervals and timeouts
alive and the sockets open or opening. Logging out and in again 20 times must leave those
counts, the DOM and the JS heap where one logout left them; so must logging out before the
console has finished opening.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, CDPSession, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.web.conftest import TOKEN, BrowserLog, System
from tests.web.console_page import connect, log_in, odometer_cell

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CYCLES = 20

COUNT_TIMERS_JS = """(() => {
  const live = { intervals: new Set(), timeouts: new Set(), sockets: new Set() };
  Object.defineProperty(window, "__live", { value: live });
  const setI = window.setInterval.bind(window);
  const setT = window.setTimeout.bind(window);
  const clearI = window.clearInterval.bind(window);
  const clearT = window.clearTimeout.bind(window);
  // Interval and timeout ids share one pool, and either clear function clears either.
  const forget = (id) => { live.intervals.delete(id); live.timeouts.delete(id); };
  window.setInterval = (fn, ms, ...args) => {
    const id = setI(fn, ms, ...args);
    live.intervals.add(id);
    return id;
  };
  window.setTimeout = (fn, ms, ...args) => {
    const id = setT((...a) => {
      live.timeouts.delete(id);
      if (typeof fn === "function") fn(...a);
    }, ms, ...args);
    live.timeouts.add(id);
    return id;
  };
  window.clearInterval = (id) => { forget(id); clearI(id); };
  window.clearTimeout = (id) => { forget(id); clearT(id); };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      live.sockets.add(this);
      this.addEventListener("close", () => live.sockets.delete(this));
    }
  };
})();"""

COUNTS_JS = """() => ({
  intervals: window.__live.intervals.size,
  timeouts: window.__live.timeouts.size,
  sockets: [...window.__live.sockets].filter((s) => s.readyState <= WebSocket.OPEN).length,
})"""


def counts(page: Page) -> dict[str, int]:
    return page.evaluate(COUNTS_JS)  # type: ignore[no-any-return]


def settled(page: Page) -> dict[str, int]:
    """The counts once nothing is left to finish by itself: sockets closed (a close takes a
    round trip), one-shot timeouts fired (the login screen focuses its field on one)."""
    done = f"() => {{ const c = ({COUNTS_JS})(); return c.sockets === 0 && c.timeouts === 0; }}"
    with contextlib.suppress(PlaywrightTimeoutError):  # the caller's assertion says what is left
        page.wait_for_function(done, timeout=10_000)
    return counts(page)


JS_VALUES = {"object", "closure", "array", "string", "concatenated string", "sliced string",
             "number", "symbol", "bigint", "regexp"}
"""The heap snapshot's node types that are the page's data: what its scripts hold. The
others are V8's compiled code and hidden classes ("code", "object shape"), which grow by some
30 kB a cycle as V8 optimises more of the console's functions however clean the logout, and
Blink's native objects ("native"), among them DevTools' buffer of network responses and the
performance timeline, bounded and not the console's. The DOM is counted apart, in nodes."""


def memory(cdp: CDPSession) -> dict[str, int]:
    """The page's JS data (bytes, from a heap snapshot taken after garbage collection), the
    whole JS heap as Runtime.getHeapUsage gives it (for the record), and the DOM counters."""
    chunks: list[str] = []

    def take(event: dict[str, Any]) -> None:
        chunks.append(event["chunk"])

    cdp.on("HeapProfiler.addHeapSnapshotChunk", take)
    try:
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("HeapProfiler.takeHeapSnapshot", {"reportProgress": False})
    finally:
        cdp.remove_listener("HeapProfiler.addHeapSnapshotChunk", take)
    snapshot = json.loads("".join(chunks))
    meta = snapshot["snapshot"]["meta"]
    fields: list[str] = meta["node_fields"]
    types: list[str] = meta["node_types"][0]
    nodes: list[int] = snapshot["nodes"]
    type_at, size_at, width = fields.index("type"), fields.index("self_size"), len(fields)
    data = sum(nodes[i + size_at] for i in range(0, len(nodes), width)
               if types[nodes[i + type_at]] in JS_VALUES)
    dom = cdp.send("Memory.getDOMCounters")
    return {"js_data": data, "heap_used": cdp.send("Runtime.getHeapUsage")["usedSize"],
            "nodes": dom["nodes"], "listeners": dom["jsEventListeners"],
            "documents": dom["documents"]}


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Operator token")).to_be_visible()


def test_logging_out_and_in_again_leaves_no_timer_socket_or_memory_behind(
    context: BrowserContext, page: Page, system: System, browser_log: BrowserLog
) -> None:
    page.add_init_script(COUNT_TIMERS_JS)
    cdp = context.new_cdp_session(page)
    log_in(page, system)
    # The counting works: the console runs its clocks and polls on intervals, and one stream.
    inside = counts(page)
    assert inside["sockets"] == 1 and inside["intervals"] >= 5, inside
    log_out(page)
    out = settled(page)
    assert out == {"intervals": 0, "timeouts": 0, "sockets": 0}, out

    # One more session first: uPlot (in V8's caches for its code) keeps the last chart's
    # canvas after the chart is destroyed, a dozen nodes, the same whatever the number of
    # sessions; from the second logout on, what stays is what the page keeps for good.
    connect(page)
    expect(odometer_cell(page)).not_to_have_text("—")
    log_out(page)
    assert settled(page) == out
    before = memory(cdp)

    for cycle in range(CYCLES):
        connect(page)
        expect(odometer_cell(page)).not_to_have_text("—")
        assert counts(page)["sockets"] == 1
        if cycle == CYCLES - 1:
            in_session = memory(cdp)
        log_out(page)

    # Out again as soon as the console shows, before it has read everything and opened its
    # stream: what was still on its way is dropped, and no stream opens after the logout.
    for _ in range(3):
        page.get_by_label("Operator token").fill(TOKEN)
        page.get_by_role("button", name="Connect").click()
        log_out(page)
    assert settled(page) == out, f"after {CYCLES} logins and logouts, and 3 hasty ones"
    after = memory(cdp)
    record = f"before {before}, in the last session {in_session}, after {after}"
    # The DOM is the login screen's again: a console kept alive keeps its 700-odd nodes.
    assert after["documents"] == before["documents"], record
    assert after["nodes"] <= before["nodes"], record
    assert after["listeners"] <= before["listeners"], record
    # A session holds some 130 kB of JS data (its store, charts, closures): if every cycle
    # kept even 0.5 % of one, 20 cycles would pass a tenth of a session. (Measured: a few
    # hundred bytes either way; the whole heap_used grows by some 600 kB of compiled code.)
    session = in_session["js_data"] - after["js_data"]
    assert session > 50_000, record  # the measure sees a session at all
    growth = after["js_data"] - before["js_data"]
    assert growth < session / 10, (
        f"the page's JS data grew by {growth} bytes over {CYCLES} sessions of {session} "
        f"bytes each: {record}")
    browser_log.assert_clean()
