"""The web console under load, in Debian's chromium driven by Playwright.

Two figures against a running system (``roverops up``):

1. Time to first complete render: from pressing Enter on the login screen to every panel
   populated (composer from the dictionary, clocks synced, live stream open, charts mounted,
   telemetry values shown, a position on the map, rover health).
2. Keeping up with telemetry: for ``--seconds`` (default 60) the stream's WebSocket is routed
   through Playwright, which forwards the real server's messages and injects synthetic
   housekeeping packets of ``--channels`` channels (default 20) at ``--rate`` Hz (default 10)
   on top. A requestAnimationFrame recorder in the page counts dropped frames (frame gaps
   beyond 1.5 refresh intervals) and long tasks; CDP's Performance.getMetrics gives the JS
   heap before and after (each after a forced garbage collection).

    .venv/bin/python bench/console_render.py [--url http://127.0.0.1:8080/ --token TOKEN]

Without ``--url`` it starts its own ``roverops up`` (embedded broker, 2 s light time) and
waits for telemetry on the ground, as an operator would find it.

Prints the figures; exits non-zero when the console did not render.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import CDPSession, Page, WebSocketRoute, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roverops.broker import free_port
from tests.support.processes import Part
from tests.support.waiting import wait_for_sync

CHROMIUM = "/usr/bin/chromium"

RENDERED_JS = """() => {
  const q = (s) => document.querySelector(s);
  const text = (s) => (q(s)?.textContent ?? "");
  const live = [...document.querySelectorAll(".pill")].some((p) => p.textContent === "LIVE");
  const composer = document.querySelectorAll("#cmd-name option").length > 0;
  const clocks = !text(".clocks .clock:nth-child(2) .clock-main").startsWith("--");
  const charts = document.querySelectorAll(".chart-card .uplot").length >= 5;
  const values = [...document.querySelectorAll(".tm-table td.val")]
    .filter((td) => td.textContent !== "—").length >= 5;
  const map = q(".map-readout") !== null && !text(".map-readout").startsWith("no position");
  const health = /ONLINE|OFFLINE/.test(text(".health-panel .pill"));
  return live && composer && clocks && charts && values && map && health;
}"""

RECORDER_JS = """() => {
  const rec = { frames: [], longTasks: 0, longTaskMs: 0, running: true };
  const loop = (t) => {
    if (!rec.running) return;
    rec.frames.push(t);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) { rec.longTasks += 1; rec.longTaskMs += e.duration; }
    }).observe({ type: "longtask", buffered: false });
  } catch (e) { rec.longTasks = -1; }
  window.__benchRecorder = rec;
}"""

STOP_JS = """() => { const r = window.__benchRecorder; r.running = false;
  return { frames: r.frames, longTasks: r.longTasks, longTaskMs: r.longTaskMs }; }"""

NUMERIC_CHANNELS_JS = """() => {
  const d = window.roverops?.store?.dictionary;
  if (!d) return [];
  return d.telemetry.filter((c) => c.type !== "enum" && c.type !== "bool" && c.choices === null)
    .map((c) => [c.name, c.unit]);
}"""


@dataclass(frozen=True)
class FrameStats:
    frames: int
    dropped: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    long_tasks: int
    long_task_ms: float


def frame_stats(times: list[float], long_tasks: int, long_task_ms: float) -> FrameStats:
    gaps = [b - a for a, b in itertools.pairwise(times)]
    if not gaps:
        return FrameStats(len(times), 0, 0.0, 0.0, 0.0, long_tasks, long_task_ms)
    interval = statistics.median(gaps)
    dropped = sum(max(0, round(g / interval) - 1) for g in gaps if g > 1.5 * interval)
    ordered = sorted(gaps)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return FrameStats(len(times), dropped, interval, p95, ordered[-1], long_tasks, long_task_ms)


def heap_used(cdp: CDPSession) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    metrics: dict[str, Any] = cdp.send("Performance.getMetrics")
    for m in metrics["metrics"]:
        if m["name"] == "JSHeapUsedSize":
            return float(m["value"])
    return math.nan


def iso(t: datetime) -> str:
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def synthetic_packet(
    rover: str, channels: list[tuple[str, str | None]], rover_time: datetime, owlt_s: float, k: int
) -> str:
    ground = rover_time + timedelta(seconds=owlt_s)
    data = {
        name: {
            "value": 50.0 + 20.0 * math.sin(k / 25.0 + i),
            "unit": unit,
            "rover_time": iso(rover_time),
            "ground_time": iso(ground),
        }
        for i, (name, unit) in enumerate(channels)
    }
    return json.dumps({"type": "telemetry", "rover": rover, "data": {"channels": data}})


def login_and_render(page: Page, url: str, token: str, timeout_s: float) -> float:
    page.goto(url)
    page.fill("#login-token", token)
    start = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_function(RENDERED_JS, polling="raf", timeout=timeout_s * 1000)
    return time.perf_counter() - start


def soak(
    page: Page, routes: list[WebSocketRoute], seconds: float, rate: float, want: int
) -> tuple[FrameStats, int, int]:
    dictionary: list[list[Any]] = page.evaluate(NUMERIC_CHANNELS_JS)
    channels: list[tuple[str, str | None]] = [(str(n), u) for n, u in dictionary][:want]
    from_dictionary = len(channels)
    channels += [(f"bench_extra_{i}", None) for i in range(want - len(channels))]
    rover = str(page.evaluate("() => window.roverops.store.roverId"))
    owlt = float(page.evaluate("() => window.roverops.store.link?.owlt_s ?? 0"))
    mission_ms = float(page.evaluate("() => window.roverops.store.clock.now()"))
    t0 = datetime.fromtimestamp(mission_ms / 1000, UTC) - timedelta(seconds=owlt)
    page.evaluate(RECORDER_JS)
    sent = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        due = int(elapsed * rate)
        while sent <= due:
            msg = synthetic_packet(rover, channels, t0 + timedelta(seconds=sent / rate), owlt, sent)
            for route in routes:
                route.send(msg)
            sent += 1
        page.wait_for_timeout(max(1.0, 1000.0 / rate / 2))
    raw: dict[str, Any] = page.evaluate(STOP_JS)
    stats = frame_stats(
        [float(t) for t in raw["frames"]], int(raw["longTasks"]), float(raw["longTaskMs"])
    )
    return stats, sent, from_dictionary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--url", help="console URL, e.g. http://127.0.0.1:8080/ (default: start "
                                   "a system of our own)")
    ap.add_argument("--token", help="the operator token (with --url)")
    ap.add_argument("--seconds", type=float, default=60.0, help="soak duration (default 60)")
    ap.add_argument("--rate", type=float, default=10.0, help="injected packets per second")
    ap.add_argument("--channels", type=int, default=20, help="channels per injected packet")
    ap.add_argument("--render-timeout", type=float, default=60.0, help="seconds to wait")
    ap.add_argument("--chromium", default=CHROMIUM, help="chromium executable")
    ap.add_argument("--size", default="1366x768", help="viewport WIDTHxHEIGHT")
    args = ap.parse_args()
    if args.url is not None:
        if args.token is None:
            ap.error("--url needs --token")
        return measure(args)
    with tempfile.TemporaryDirectory() as tmp:
        port, token = free_port(), "bench-console-0123456789"
        os.environ["ROVEROPS_TOKEN"] = token
        up = Part(Path(tmp), "up", ["up", "--http-port", str(port), "--light-time", "fixed:2",
                                    "--data-dir", str(Path(tmp) / "data")])
        up.start()
        try:
            up.wait_for_output(r"roverops console")
            args.url, args.token = f"http://127.0.0.1:{port}/", token
            # An operator logs in to a running system: telemetry is already on the ground.
            wait_for_sync(lambda: _has_telemetry(args.url, token), 60, "first telemetry")
            return measure(args)
        finally:
            up.stop()


def _has_telemetry(url: str, token: str) -> bool:
    request = urllib.request.Request(f"{url}api/v1/rovers/zhurong/telemetry",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return bool(json.load(response)["channels"])


def measure(args: argparse.Namespace) -> int:
    width, height = (int(v) for v in args.size.split("x"))

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        routes: list[WebSocketRoute] = []

        def route_stream(ws: WebSocketRoute) -> None:
            ws.connect_to_server()
            routes.append(ws)

        page.route_web_socket("**/api/v1/stream*", route_stream)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        try:
            render_s = login_and_render(page, args.url, args.token, args.render_timeout)
        except Exception as exc:
            print(f"console did not render within {args.render_timeout:.0f} s: {exc}")
            browser.close()
            return 1
        print(
            f"first complete render (Enter on login -> all panels populated): "
            f"{render_s * 1000:.0f} ms"
        )
        page.wait_for_timeout(1000)
        heap0 = heap_used(cdp)
        stats, sent, from_dict = soak(page, routes, args.seconds, args.rate, args.channels)
        heap1 = heap_used(cdp)
        browser.close()

    print(
        f"injected {sent} telemetry packets of {args.channels} channels at {args.rate:g} Hz "
        f"over {args.seconds:g} s ({from_dict} dictionary channels, "
        f"{args.channels - from_dict} extra), on top of the live stream"
    )
    print(
        f"frames: {stats.frames} rendered, {stats.dropped} dropped; frame interval "
        f"p50 {stats.p50_ms:.1f} ms, p95 {stats.p95_ms:.1f} ms, max {stats.max_ms:.1f} ms"
    )
    lt = (
        "unsupported"
        if stats.long_tasks < 0
        else (f"{stats.long_tasks} ({stats.long_task_ms:.0f} ms in all)")
    )
    print(f"long tasks (> 50 ms): {lt}")
    print(
        f"JS heap after GC: {heap0 / 1e6:.1f} MB -> {heap1 / 1e6:.1f} MB "
        f"(growth {(heap1 - heap0) / 1e6:+.2f} MB)"
    )
    if errors:
        print(f"page errors: {len(errors)}; first: {errors[0]}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
