// The header strip: Earth UTC, mission time, sol and LMST at the rover's site, one-way
// light time and time scale, link state and the live stream's state.

import { h, setClass, setText } from "./dom";
import type { Lifetime } from "./life";
import type { Store } from "./store";
import {
  dayOfYear, fmtClock, fmtDate, fmtDur, fmtHours, lmstHours, siteSolDate,
} from "./time";

function clockCell(label: string, title: string): { el: HTMLElement; main: HTMLElement; sub: HTMLElement } {
  const main = h("div.clock-main.num");
  const sub = h("div.clock-sub.num");
  const el = h("div.clock", { title }, h("div.clock-label", null, label), main, sub);
  return { el, main, sub };
}

export function createClocks(store: Store, life: Lifetime, onRetryStream: () => void): HTMLElement {
  const earth = clockCell("Earth UTC", "Wall-clock time on Earth (this computer's clock)");
  const mission = clockCell("Mission time", "The mission clock: all times in this console are mission time");
  const mars = clockCell("Mars", "Sol and local mean solar time at the rover's site (Mars24)");
  const owlt = clockCell("One-way light time", "Earth–Mars signal delay now, in mission time");
  const linkPill = h("span.pill", { id: "link-state" }, "LINK —");
  const streamPill = h("button.pill.pill-btn", { id: "stream-state", type: "button", title: "Live stream to the ground station", onclick: () => onRetryStream() }, "STREAM —");
  const status = h("div.header-status", null, linkPill, streamPill);
  const el = h("div.clocks", null, earth.el, mission.el, mars.el, owlt.el, status);

  function tick(): void {
    const wall = Date.now();
    setText(earth.main, fmtClock(wall));
    setText(earth.sub, `${fmtDate(wall)} · DOY ${String(dayOfYear(wall)).padStart(3, "0")}`);

    const now = store.clock.now();
    const link = store.link;
    if (!store.clock.synced || link === null) {
      setText(mission.main, "--:--:--");
      setText(mission.sub, "waiting for link");
    } else {
      setText(mission.main, fmtClock(now));
      const scale = link.time_scale;
      setText(mission.sub, `${fmtDate(now)} · ${scale === 1 ? "real time" : `×${fmtScale(scale)} time`}`);
      setClass(mission.main, "scaled", scale !== 1);
    }

    // Whoever plays the rover (emulator or board), the site and its Mars time are the
    // ground's facts about the rover: GET /rovers has them in every case.
    const rover = store.rover;
    const lon = rover?.site?.lon_e_deg;
    const place = rover?.site?.name ?? rover?.id ?? "";
    if (lon === undefined || lon === null || !store.clock.synced) {
      const m = rover?.mars;
      if (m !== undefined && m !== null && Number.isFinite(m.sol)) {
        setText(mars.main, `Sol ${m.sol} · ${m.lmst}`);
        setText(mars.sub, `LMST · ${place}`);
      } else {
        setText(mars.main, "Sol — ");
        setText(mars.sub, "LMST --:--:--");
      }
    } else {
      let sol: number;
      const anchor = rover?.mars;
      if (anchor !== undefined && anchor !== null && Number.isFinite(anchor.sol)) {
        sol = anchor.sol + Math.floor(siteSolDate(now, lon)) - Math.floor(siteSolDate(store.roverReadAt, lon));
      } else {
        sol = Math.floor(siteSolDate(now, lon));
      }
      setText(mars.main, `Sol ${sol} · ${fmtHours(lmstHours(now, lon))}`);
      setText(mars.sub, `LMST · ${place}`);
    }

    if (link === null) {
      setText(owlt.main, "—");
      setText(owlt.sub, "");
    } else {
      setText(owlt.main, fmtDur(link.owlt_s));
      const dist = link.distance_km !== undefined && link.distance_km !== null
        ? `${(link.distance_km / 1e6).toFixed(1)} M km` : "";
      const wallS = link.owlt_s / (link.time_scale > 0 ? link.time_scale : 1);
      const wallNote = link.time_scale !== 1 ? ` · ${fmtDur(wallS)} wall` : "";
      setText(owlt.sub, [link.model, dist].filter((s) => s.length > 0).join(" · ") + wallNote);
      const state = link.state ?? "open";
      setText(linkPill, `LINK ${state.toUpperCase()}`);
      setClass(linkPill, "ok", state === "open");
      setClass(linkPill, "bad", state !== "open");
    }

    const s = store.stream;
    let text = "STREAM —";
    let cls = "";
    if (s.kind === "open") {
      text = "LIVE";
      cls = "ok";
    } else if (s.kind === "connecting") {
      text = "CONNECTING…";
      cls = "warn";
    } else if (s.kind === "waiting") {
      text = `RECONNECT ${Math.max(0, Math.ceil((s.retryAt - Date.now()) / 1000))} s`;
      cls = "bad";
    }
    setText(streamPill, text);
    streamPill.title = s.kind === "waiting"
      ? `Live stream lost (${s.reason}); retrying by itself. Click to retry now.`
      : "Live stream to the ground station";
    for (const c of ["ok", "warn", "bad"]) setClass(streamPill, c, c === cls);
  }

  tick();
  life.every(tick, 250);
  return el;
}

function fmtScale(scale: number): string {
  return Number.isInteger(scale) ? String(scale) : scale.toFixed(2);
}
